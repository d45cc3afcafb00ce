"""The per-layer statistics of a watched PyTorch model, computed where the model lives.

Everything is a torch op on the model's device (norms, masks, one stacked histogram via
``index_add_``, which unlike ``bincount`` needs no device sync); the results are packed
into one float tensor and copied to the host once. The bins, ranges, unit limits and the
sampling of large arrays are those of :mod:`nnvis.core.snapshot`, so a watched layer and a
NumPy-engine layer draw the same way.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from nnvis.core.activations import ACTIVATION_CLASSES
from nnvis.core.snapshot import (GRAD_LOG10_RANGE, HIST_BINS, HIST_SAMPLE, MAX_UNITS,
                                 PREACT_RANGE, _sample_index)


@dataclass
class LayerCapture:
    """What the hooks saw of one Linear/Conv layer during a snapshot step."""
    module: torch.nn.Module
    module_name: str
    order: int = 0
    z: torch.Tensor | None = None          # pre-activation (the activation's input)
    a: torch.Tensor | None = None          # its output (the layer's output if none follows)
    grad_out: torch.Tensor | None = None   # ∂L/∂(layer output)
    grad_act: torch.Tensor | None = None   # ∂L/∂(activation output)
    act_name: str = "linear"
    w_before: torch.Tensor | None = None   # the weights before this step's update

    def set_grad_out(self, g):
        self.grad_out = g.detach()

    def set_grad_act(self, g):
        self.grad_act = g.detach()


def nice_ranges(max_abs: torch.Tensor) -> torch.Tensor:
    """:func:`nnvis.core.snapshot.nice_range` on a tensor, without leaving the device:
    the smallest power of two ≥ max_abs (1 where that is not finite and positive)."""
    ok = torch.isfinite(max_abs) & (max_abs > 0)
    safe = torch.where(ok, max_abs, torch.ones_like(max_abs))
    return torch.where(ok, torch.exp2(torch.ceil(torch.log2(safe))), torch.ones_like(max_abs))


def stacked_histograms(arrays, lo, hi, nbins: int) -> torch.Tensor:
    """:func:`nnvis.core.snapshot.stacked_histograms` for tensors on one device: (K, nbins)
    counts, binned in lo's dtype (float32: a value within float32 rounding of a bin edge may
    fall on the other side than in NumPy's float64). Values outside [lo, hi] land in the
    edge bins, and so do ±inf; NaN is dropped (NumPy's version drops ±inf too)."""
    k = len(arrays)
    scale = nbins / torch.clamp(hi - lo, min=1e-30)
    parts = []
    for i, a in enumerate(arrays):   # per array: no per-value gathers, and it stays in cache
        idx = (a.reshape(-1).to(lo.dtype) - lo[i]).mul_(scale[i])
        idx = idx.clamp_(0, nbins - 1).nan_to_num_(nbins)   # NaN: the dropped bin
        # int32 and in place: temporaries above 128 KiB are fresh mmaps for glibc, and
        # their page faults slowed the next training steps too
        parts.append(idx.to(torch.int32).add_(i * (nbins + 1)))
    bins = torch.cat(parts)
    if bins.device.type == "cpu":
        counts = torch.bincount(bins, minlength=k * (nbins + 1))
    else:   # bincount would sync the device to size its result
        counts = torch.zeros(k * (nbins + 1), dtype=torch.int64, device=bins.device)
        counts.index_add_(0, bins, torch.ones_like(bins))
    return counts.reshape(k, nbins + 1)[:, :nbins]


_SAMPLE_CACHE: dict = {}


def histogram_sample(t: torch.Tensor) -> tuple[torch.Tensor, float]:
    """:func:`nnvis.core.snapshot.histogram_sample` on the device: the same fixed subset
    of a large array's (flattened) values, and how many values each one stands for."""
    flat = t.reshape(-1)
    n = flat.numel()
    if n <= HIST_SAMPLE:
        return flat, 1.0
    key = (n, flat.device)
    idx = _SAMPLE_CACHE.get(key)
    if idx is None:
        idx = _SAMPLE_CACHE[key] = torch.tensor(_sample_index(n), device=flat.device)
    return torch.index_select(flat, 0, idx), n / HIST_SAMPLE   # 4× faster than flat[idx]


def _units(t: torch.Tensor, conv: bool) -> torch.Tensor:
    """(samples, units): channels of a conv output, the last axis of a linear one."""
    dim = 1 if conv else -1
    return t.movedim(dim, -1).reshape(-1, t.shape[dim])


def _shown(w: torch.Tensor) -> torch.Tensor:
    """The block of a weight-shaped tensor that the topology draws (its first units)."""
    return w[:MAX_UNITS, :MAX_UNITS]


def _host_edges(block: np.ndarray, conv: bool) -> np.ndarray:
    """A shown (out, in[, kernel...]) weight block as the topology's (in, out) edge matrix:
    a conv kernel is averaged over its spatial taps."""
    if conv:
        block = block.reshape(block.shape[0], block.shape[1], -1).mean(axis=2)
    return np.ascontiguousarray(block.T, dtype=np.float32)


class Packer:
    """Tensors bound for the host, copied in one go: ``add`` them by key, then ``unpack``.
    Scalars are stacked with one op (each conversion costs a few µs, and there are many)."""

    def __init__(self, dtype):
        self.dtype = dtype
        self.scalars: list = []
        self.scalar_keys: list = []
        self.parts: list = []
        self.keys: list = []

    def add(self, key, t):
        if t.dim() == 0:
            self.scalars.append(t.to(self.dtype))
            self.scalar_keys.append(key)
        else:
            self.parts.append(t.reshape(-1).to(self.dtype))
            self.keys.append((key, tuple(t.shape)))

    def unpack(self) -> dict:
        if self.scalars:
            self.parts.insert(0, torch.stack(self.scalars))
        flat = torch.cat(self.parts).cpu().numpy() if self.parts else np.zeros(0)
        out = {key: float(v) for key, v in zip(self.scalar_keys, flat)}
        offset = len(self.scalars)
        for key, shape in self.keys:
            n = int(np.prod(shape))
            out[key] = flat[offset:offset + n].reshape(shape)
            offset += n
        return out


@functools.lru_cache(maxsize=32)
def _info(name: str) -> dict:
    return ACTIVATION_CLASSES[name](1, np.random.default_rng(0)).info()


def activation_info(names: list[str]) -> dict | None:
    """The snapshot's ``activation``: the hidden layers' activation if they share one that
    nnvis knows (its curve is drawn), else None."""
    if len(set(names)) != 1 or names[0] not in ACTIVATION_CLASSES:
        return None
    return dict(_info(names[0]))


def layer_snapshots(captures: list[LayerCapture]) -> list[dict]:
    """The snapshot's ``layers`` (hidden1..N, then output) from one step's captures."""
    dev = captures[0].module.weight.device
    fdtype = torch.float32   # the model's own precision (or better): a float64 pass cost 2 ms
    pack = Packer(fdtype)
    hist_arrays, scales, hist_keys = [], [], []
    # A histogram's bound (lo, hi, lo_coef, hi_coef, ref) is the range [lo + lo_coef·R[ref],
    # hi + hi_coef·R[ref]]: fixed, or a power of two around its data (R = nice_ranges of
    # `maxes`, all computed in one go at the end).
    bounds: list[tuple] = []
    maxes: list = []

    def data_range(t) -> int:
        """Index in R of the power-of-two range around t's values."""
        t_lo, t_hi = torch.aminmax(t)   # no |t| copy of a whole weight matrix
        maxes.append(torch.maximum(-t_lo, t_hi).to(fdtype))
        return len(maxes) - 1

    def histogram(key, values, bound, transform=None):
        sample, scale = histogram_sample(values)
        hist_arrays.append(sample if transform is None else transform(sample))
        bounds.append(bound)
        scales.append(scale)
        hist_keys.append(key)

    zero = torch.zeros((), dtype=fdtype, device=dev)
    last = len(captures) - 1
    metas = []
    norms: list = []   # per layer: G, W and ∂L/∂a if it was seen, normed in one call
    for i, cap in enumerate(captures):
        mod = cap.module
        conv = isinstance(mod, torch.nn.modules.conv._ConvNd)
        W = mod.weight.detach()
        G = mod.weight.grad
        G = torch.zeros_like(W) if G is None else G.detach()
        z, a = cap.z, cap.a
        grad_a = cap.grad_act if cap.act_name != "linear" else cap.grad_out
        hidden = i < last
        act = ACTIVATION_CLASSES.get(cap.act_name)
        w_ref = data_range(W)
        af = a.float()
        norms += [G, W] + ([] if grad_a is None else [grad_a])
        for key, value in (("act_mean", af.mean()), ("act_std", af.std(correction=0)),
                           ("update_dist", zero if cap.w_before is None else
                            torch.dist(W, cap.w_before))):
            pack.add((i, key), value)
        histogram((i, "weight_hist"), W, (0.0, 0.0, -1.0, 1.0, w_ref))
        # float32 at least: 1e-30 would underflow in half precision
        histogram((i, "grad_hist"), G, (*GRAD_LOG10_RANGE, 0.0, 0.0, 0),
                  transform=lambda g: torch.log10(g.float().abs() + 1e-30))
        # The shown blocks travel raw; edges are made from them on the host, where NumPy's
        # per-call cost on 32×32 values is a fraction of a torch op's.
        pack.add((i, "w_block"), _shown(W))
        pack.add((i, "g_block"), _shown(G))
        if cap.w_before is not None:
            pack.add((i, "wb_block"), _shown(cap.w_before))
        width = W.shape[0]
        bias = mod.bias.detach()[:MAX_UNITS] if mod.bias is not None else \
            torch.zeros(min(width, MAX_UNITS), device=dev)
        pack.add((i, "bias"), bias)
        pack.add((i, "unit_mean"), _units(af, conv)[:, :MAX_UNITS].mean(dim=0))
        act_range = a_ref = None
        if hidden:
            zu = _units(z, conv)
            if act is not None and act.dead_below is not None:
                dead = (zu <= act.dead_below).all(dim=0)
                pack.add((i, "dead_fraction"), dead.to(fdtype).mean())
                pack.add((i, "unit_dead"), dead[:MAX_UNITS])
            sat = None
            if act is not None and act.saturates_beyond is not None:
                sat = zu.abs() > act.saturates_beyond
            elif act is not None and act.saturates_below is not None:
                sat = zu < act.saturates_below
            if sat is not None:
                pack.add((i, "saturated_fraction"), sat.to(fdtype).mean())
                pack.add((i, "unit_saturated"), sat[:, :MAX_UNITS].float().mean(dim=0))
            histogram((i, "preact_hist"), z, (*PREACT_RANGE, 0.0, 0.0, 0))
            out_lo, out_hi = act.output_range if act is not None else (-np.inf, np.inf)
            if np.isfinite(out_lo) and np.isfinite(out_hi):
                act_range = (float(out_lo), float(out_hi))
                histogram((i, "act_hist"), a, (*act_range, 0.0, 0.0, 0))
            else:   # as nnvis.core.snapshot.activation_range
                a_ref = data_range(af)
                act_range = (0.0 if out_lo == 0 else -1.0, 1.0)   # × R[a_ref]
                histogram((i, "act_hist"), a, (0.0, 0.0, act_range[0], 1.0, a_ref))
        in_width = mod.in_channels if conv else W.shape[1]
        metas.append((i, cap, width, in_width, hidden, act_range, w_ref, a_ref, conv,
                      grad_a is not None))

    pack.add("norms", torch.stack(torch._foreach_norm(norms)))
    R = nice_ranges(torch.stack(maxes))
    lo0, hi0, lo_coef, hi_coef, ref = (torch.tensor(col, device=dev) for col in zip(*bounds))
    R_of = R[ref]
    hists = stacked_histograms(hist_arrays, lo0 + lo_coef * R_of, hi0 + hi_coef * R_of,
                               HIST_BINS)
    pack.add("hists", hists)
    pack.add("ranges", R)
    host = pack.unpack()
    counts = host["hists"].astype(np.int64)
    scale = np.array(scales)
    if np.any(scale != 1.0):   # counts of the whole arrays, estimated from their samples
        counts = np.rint(counts * scale[:, None]).astype(np.int64)

    layers = []
    ranges = host["ranges"].astype(np.float64)
    norm_values = iter(host["norms"].astype(np.float64).tolist())
    for i, cap, width, in_width, hidden, act_range, w_ref, a_ref, conv, has_grad_a in metas:
        def get(key, cast=float):
            return cast(host[(i, key)]) if (i, key) in host else None

        if a_ref is not None:
            act_range = tuple(c * float(ranges[a_ref]) for c in act_range)
        g_norm, w_norm = next(norm_values), next(norm_values)
        a_norm = next(norm_values) if has_grad_a else 0.0
        shown_out = min(width, MAX_UNITS)
        entry = {
            "name": f"hidden{i + 1}" if hidden else "output",
            "module": cap.module_name,
            "type": type(cap.module).__name__,
            "kind": "hidden" if hidden else "output",
            "width": int(width), "fan_in": int(in_width),
            "shown_in": min(int(in_width), MAX_UNITS), "shown_out": shown_out,
            "activation": cap.act_name if hidden else "linear",
            "grad_norm_W": g_norm, "grad_norm_act": a_norm,
            "act_mean": get("act_mean"), "act_std": get("act_std"),
            "update_ratio": get("update_dist") / (w_norm + 1e-12),
            "weight_range": float(ranges[w_ref]),
            "dead_fraction": get("dead_fraction") or 0.0,
            "saturated_fraction": get("saturated_fraction") or 0.0,
            "unit_dead": np.zeros(shown_out, bool),
            "unit_saturated": np.zeros(shown_out, np.float32),
            "preact_hist": None, "act_hist": None,
            "act_range": list(act_range) if act_range else None,
            "bias": host[(i, "bias")].astype(np.float32),
            "unit_mean": host[(i, "unit_mean")].astype(np.float32),
        }
        if (i, "unit_dead") in host:
            entry["unit_dead"] = host[(i, "unit_dead")].astype(bool)
        if (i, "unit_saturated") in host:
            entry["unit_saturated"] = host[(i, "unit_saturated")].astype(np.float32)
        w_block, wb_block = host[(i, "w_block")], host.get((i, "wb_block"))
        entry["edges"] = _host_edges(w_block, conv)
        entry["edges_gradients"] = _host_edges(host[(i, "g_block")], conv)
        entry["edges_ratio"] = _host_edges(
            np.zeros_like(w_block) if wb_block is None else
            np.abs(w_block - wb_block) / (np.abs(w_block) + 1e-8), conv)
        layers.append(entry)
    for (i, key), row in zip(hist_keys, counts):
        layers[i][key] = row
    return layers
