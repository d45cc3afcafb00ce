"""The per-layer statistics of a watched PyTorch model, computed where the model lives.

Everything is a torch op on the model's device, batched so that a snapshot takes a few
dozen ops rather than hundreds (a norm per tensor, all histograms as rows of
one padded matrix binned with one ``bincount`` — ``index_add_`` off the CPU, which needs no
device sync); the results are copied to the host once (on the CPU, read in place). The
bins, ranges, unit limits and the sampling of large arrays are those of
:mod:`nnvis.core.snapshot`, so a watched layer and a NumPy-engine layer draw the same way.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from nnvis.core.activations import ACTIVATION_CLASSES
from nnvis.core.snapshot import (GRAD_LOG10_RANGE, HIST_BINS, HIST_SAMPLE, MAX_UNITS,
                                 PREACT_RANGE, sample_index)

#: Every convolution torch has (the Lazy, QAT and fused variants subclass these): the public
#: names for what torch's private conv base class covers.
CONV_TYPES = (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d,
              torch.nn.ConvTranspose1d, torch.nn.ConvTranspose2d, torch.nn.ConvTranspose3d)


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
    grad_out_hook: object = None           # its handle, removed if an activation follows

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


def _bin_rows(V: torch.Tensor, I: torch.Tensor, offsets: torch.Tensor, lo, hi,
              nbins: int) -> torch.Tensor:
    """Histogram each row of V (K, S) between its lo and hi: (K, nbins) counts. V is
    overwritten; I (K, S, int32) receives the bin indices, offset by ``offsets`` (K, 1) =
    row·(nbins + 1). Values outside [lo, hi] land in the edge bins, and so do ±inf; NaN
    (also the padding of rows shorter than S) goes to each row's extra, dropped bin."""
    k = V.shape[0]
    scale = nbins / torch.clamp(hi - lo, min=1e-30)
    V.sub_(lo.reshape(k, 1)).mul_(scale.reshape(k, 1))
    V.clamp_(0, nbins - 1).nan_to_num_(nbins)
    I.copy_(V)                           # truncation: the bin
    I.add_(offsets)
    bins = I.reshape(-1)
    if bins.device.type == "cpu":
        counts = torch.bincount(bins, minlength=k * (nbins + 1))
    else:   # bincount would sync the device to size its result
        counts = torch.zeros(k * (nbins + 1), dtype=torch.int64, device=bins.device)
        counts.index_add_(0, bins, torch.ones_like(bins))
    return counts.reshape(k, nbins + 1)[:, :nbins]


def _row_offsets(k: int, nbins: int, device) -> torch.Tensor:
    return (torch.arange(k, dtype=torch.int32, device=device) * (nbins + 1)).reshape(k, 1)


def stacked_histograms(arrays, lo, hi, nbins: int) -> torch.Tensor:
    """:func:`nnvis.core.snapshot.stacked_histograms` for tensors on one device: (K, nbins)
    counts, binned in lo's dtype (float32: a value within float32 rounding of a bin edge may
    fall on the other side than in NumPy's float64). Values outside [lo, hi] land in the
    edge bins, and so do ±inf; NaN is dropped (NumPy's version drops ±inf too). The arrays
    are rows of one NaN-padded matrix, so every step is one op for all of them."""
    k, dev = len(arrays), lo.device
    V = torch.full((k, max(a.numel() for a in arrays)), float("nan"), dtype=lo.dtype,
                   device=dev)
    for i, a in enumerate(arrays):
        V[i, :a.numel()] = a.reshape(-1)
    I = torch.empty(V.shape, dtype=torch.int32, device=dev)
    return _bin_rows(V, I, _row_offsets(k, nbins, dev), lo, hi, nbins)


_SAMPLE_CACHE: dict = {}


def _sample_positions(n: int, device) -> torch.Tensor:
    key = (n, device)
    idx = _SAMPLE_CACHE.get(key)
    if idx is None:
        idx = _SAMPLE_CACHE[key] = torch.tensor(sample_index(n), device=device)
    return idx


def _sample_into(row: torch.Tensor, t: torch.Tensor) -> float:
    """Write t's histogram sample into ``row`` (a slice of the padded matrix, as long as
    the sample); how many values each one stands for."""
    flat = t.reshape(-1)
    n = flat.numel()
    if n <= HIST_SAMPLE:
        row.copy_(flat)
        return 1.0
    idx = _sample_positions(n, flat.device)
    if flat.dtype == row.dtype:
        torch.index_select(flat, 0, idx, out=row)
    else:
        row.copy_(torch.index_select(flat, 0, idx))
    return n / HIST_SAMPLE


def _by_unit(t: torch.Tensor, conv: bool) -> tuple[torch.Tensor, list[int], int]:
    """(t, the dimensions that are samples, samples per unit): reducing over those
    dimensions — all but a conv's channels or a linear layer's last axis — gives one
    number per unit, with no copy to move the units' axis last."""
    if t.dim() < 2:
        t = t.reshape(1, -1)
    unit = 1 if conv else t.dim() - 1
    return t, [d for d in range(t.dim()) if d != unit], t.numel() // max(t.shape[unit], 1)


def _host_edges(block: np.ndarray, conv: bool) -> np.ndarray:
    """A shown (out, in[, kernel...]) weight block as the topology's (in, out) edge matrix:
    a conv kernel is averaged over its spatial taps."""
    if conv:
        block = block.reshape(block.shape[0], block.shape[1], -1).mean(axis=2)
    return np.ascontiguousarray(block.T, dtype=np.float32)


class Packer:
    """Tensors bound for the host, copied in one go: ``add`` them by key, then ``unpack``
    (host copies, never views of the model's tensors). On a GPU they are packed into one
    float tensor, copied with one sync; scalars are stacked with one op (each conversion
    costs a few µs, and there are many). On the CPU there is nothing to copy across: each
    tensor is read through NumPy, which saves the ~40 small torch ops of packing."""

    def __init__(self, dtype, device=None):
        self.dtype = dtype
        self.on_host = device is not None and torch.device(device).type == "cpu"
        self.scalars: list = []
        self.scalar_keys: list = []
        self.parts: list = []
        self.keys: list = []

    def add(self, key, t):
        if self.on_host:
            self.parts.append(t)
            self.keys.append(key)
        elif t.dim() == 0:
            self.scalars.append(t.to(self.dtype))
            self.scalar_keys.append(key)
        else:
            self.parts.append(t.reshape(-1).to(self.dtype))
            self.keys.append((key, tuple(t.shape)))

    def unpack(self) -> dict:
        if self.on_host:
            out = {}
            for key, t in zip(self.keys, self.parts):
                if t.dtype in (torch.bfloat16, torch.complex32) or not t.dtype.is_floating_point \
                        and t.dtype not in (torch.bool, torch.int32, torch.int64):
                    t = t.to(self.dtype)
                a = t.numpy()
                out[key] = float(a) if a.ndim == 0 else np.array(a)
            return out
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


class Workspace:
    """What a watcher keeps from one snapshot to the next while the model's shapes stay
    the same: the padded histogram matrix, its bin indices and the histograms' bounds as
    tensors. Fresh buffers of that size cost page faults on every snapshot (and cache
    misses in the training steps after it); these are ~12 bytes per histogrammed value,
    16,384 values per histogram at most."""

    def __init__(self):
        self.key = None
        self.buffers: tuple = ()

    def get(self, key, make) -> tuple:
        if key != self.key:
            self.key, self.buffers = None, ()   # let the old ones go first
            self.buffers, self.key = make(), key
        return self.buffers


@functools.lru_cache(maxsize=32)
def _info(name: str) -> dict:
    return ACTIVATION_CLASSES[name](1, np.random.default_rng(0)).info()


def activation_info(names: list[str]) -> dict | None:
    """The snapshot's ``activation``: the hidden layers' activation if they share one that
    nnvis knows (its curve is drawn), else None."""
    if len(set(names)) != 1 or names[0] not in ACTIVATION_CLASSES:
        return None
    return dict(_info(names[0]))


def layer_snapshots(captures: list[LayerCapture], workspace: Workspace | None = None
                    ) -> list[dict]:
    """The snapshot's ``layers`` (hidden1..N, then output) from one step's captures.

    Batched to keep the op count down (each torch op costs a few µs of dispatch, and a
    snapshot used to take ~200 of them): a norm per tensor, stacked once, one
    padded matrix and one ``bincount`` for all the histograms, the step's update computed
    in place in the ``w_before`` copies, per-unit numbers reduced on the device and turned
    into fractions and masks on the host. ``workspace`` (the watcher's) keeps the
    histogram buffers between snapshots. The captures' ``w_before`` are used up."""
    dev = captures[0].module.weight.device
    fdtype = torch.float32   # the model's own precision (or better): a float64 pass cost 2 ms
    ws = workspace if workspace is not None else Workspace()
    pack = Packer(fdtype, dev)
    # A histogram's bound (lo, hi, lo_coef, hi_coef, ref) is the range [lo + lo_coef·R[ref],
    # hi + hi_coef·R[ref]]: fixed, or a power of two around its data (R = nice_ranges of
    # the data ranges, all computed in one go at the end).
    log_rows: list = []     # (key, values, bound): histograms of log10 |values|
    rows: list = []         # (key, values, bound)
    range_lo: list = []
    range_hi: list = []

    def data_range(t) -> int:
        """Index in R of the power-of-two range around t's values."""
        t_lo, t_hi = torch.aminmax(t)   # no |t| copy of a whole weight matrix
        range_lo.append(t_lo)
        range_hi.append(t_hi)
        return len(range_lo) - 1

    last = len(captures) - 1
    metas = []
    norms: list = []        # G, W, then ΔW and ∂L/∂a where there are: stacked once
    befores, afters = [], []
    for i, cap in enumerate(captures):
        mod = cap.module
        conv = isinstance(mod, CONV_TYPES)
        W = mod.weight.detach()
        G = mod.weight.grad
        G = torch.zeros_like(W) if G is None else G.detach()
        z, a = cap.z, cap.a
        grad_a = cap.grad_act if cap.act_name != "linear" else cap.grad_out
        hidden = i < last
        act = ACTIVATION_CLASSES.get(cap.act_name)
        w_ref = data_range(W)
        af = a.float()
        norms += [G, W]
        if cap.w_before is not None:
            befores.append(cap.w_before)
            afters.append(W)
            norms.append(cap.w_before)      # W_before − W once the sub_ below has run
        if grad_a is not None:
            norms.append(grad_a)
        pack.add((i, "act_mean"), af.mean())
        pack.add((i, "act_std"), af.std(correction=0))   # (torch.dist: 1e-4 off in float32)
        rows.append(((i, "weight_hist"), W, (0.0, 0.0, -1.0, 1.0, w_ref)))
        log_rows.append(((i, "grad_hist"), G, (*GRAD_LOG10_RANGE, 0.0, 0.0, 0)))
        # The shown blocks travel raw; edges are made from them on the host, where NumPy's
        # per-call cost on 32×32 values is a fraction of a torch op's.
        pack.add((i, "w_block"), W[:MAX_UNITS, :MAX_UNITS])
        pack.add((i, "g_block"), G[:MAX_UNITS, :MAX_UNITS])
        if cap.w_before is not None:
            pack.add((i, "d_block"), cap.w_before[:MAX_UNITS, :MAX_UNITS])
        width = W.shape[0]
        if mod.bias is not None:
            pack.add((i, "bias"), mod.bias.detach()[:MAX_UNITS])
        au, units, samples = _by_unit(af, conv)
        pack.add((i, "unit_mean"), au.mean(dim=units))   # every unit: sliced on the host
        act_range = a_ref = None
        if hidden:
            z = _by_unit(z, conv)[0]
            if act is not None and act.dead_below is not None:   # dead: z ≤ it for all
                pack.add((i, "unit_max"), z.amax(dim=units))
            sat = None
            if act is not None and act.saturates_beyond is not None:
                sat = z.abs() > act.saturates_beyond
            elif act is not None and act.saturates_below is not None:
                sat = z < act.saturates_below
            if sat is not None:   # saturated samples per unit, exact in float32 below 2^24
                pack.add((i, "unit_sat"), sat.sum(dim=units, dtype=fdtype))
            rows.append(((i, "preact_hist"), z, (*PREACT_RANGE, 0.0, 0.0, 0)))
            out_lo, out_hi = act.output_range if act is not None else (-np.inf, np.inf)
            if np.isfinite(out_lo) and np.isfinite(out_hi):
                act_range = (float(out_lo), float(out_hi))
                rows.append(((i, "act_hist"), a, (*act_range, 0.0, 0.0, 0)))
            else:   # as nnvis.core.snapshot.activation_range
                a_ref = data_range(af)
                act_range = (0.0 if out_lo == 0 else -1.0, 1.0)   # × R[a_ref]
                rows.append(((i, "act_hist"), a, (0.0, 0.0, act_range[0], 1.0, a_ref)))
        in_width = mod.in_channels if conv else W.shape[1]
        metas.append((i, cap, width, in_width, hidden, act_range, w_ref, a_ref, conv,
                      cap.w_before is not None, grad_a is not None, samples))
        cap.w_before = None

    for before, after in zip(befores, afters):
        before.sub_(after)                   # in place: no temporaries of weight size
    # Public per-tensor norms: the same values as torch's private foreach norm, which on
    # the CPU runs this very op tensor by tensor.
    pack.add("norms", _stack([torch.linalg.vector_norm(n).to(fdtype) for n in norms]))
    lows = _stack([t.to(fdtype) for t in range_lo])
    R = nice_ranges(torch.maximum(_stack([t.to(fdtype) for t in range_hi]), lows.neg_()))
    pack.add("ranges", R)

    # All histograms as rows of one NaN-padded matrix, the gradients' (log10 |g|) first.
    hist = log_rows + rows
    sizes = tuple(min(t.numel(), HIST_SAMPLE) for _, t, _ in hist)
    bounds = tuple(b for _, _, b in hist)

    def make():
        k, width = len(hist), max(sizes)
        lo0, hi0, lo_coef, hi_coef, ref = (torch.tensor(col, device=dev)
                                           for col in zip(*bounds))
        return (torch.empty((k, width), dtype=fdtype, device=dev),
                torch.empty((k, width), dtype=torch.int32, device=dev),
                _row_offsets(k, HIST_BINS, dev),
                lo0.to(fdtype), hi0.to(fdtype), lo_coef.to(fdtype), hi_coef.to(fdtype), ref,
                width > min(sizes))

    V, I, offsets, lo0, hi0, lo_coef, hi_coef, ref, padded = ws.get((dev, sizes, bounds), make)
    if padded:
        V.fill_(float("nan"))
    scales = [_sample_into(V[j, :n], t) for j, ((_, t, _), n) in enumerate(zip(hist, sizes))]
    if log_rows:   # float32 at least: 1e-30 would underflow in half precision
        torch.log10(V[:len(log_rows)].abs_().add_(1e-30), out=V[:len(log_rows)])
    R_of = R[ref]
    pack.add("hists", _bin_rows(V, I, offsets, torch.addcmul(lo0, lo_coef, R_of),
                                torch.addcmul(hi0, hi_coef, R_of), HIST_BINS))
    host = pack.unpack()
    counts = host["hists"].astype(np.int64)
    scale = np.array(scales)
    if np.any(scale != 1.0):   # counts of the whole arrays, estimated from their samples
        counts = np.rint(counts * scale[:, None]).astype(np.int64)

    layers = []
    ranges = host["ranges"].astype(np.float64)
    norm_values = iter(host["norms"].astype(np.float64).tolist())
    for (i, cap, width, in_width, hidden, act_range, w_ref, a_ref, conv, has_update,
         has_grad_a, samples) in metas:
        if a_ref is not None:
            act_range = tuple(c * float(ranges[a_ref]) for c in act_range)
        g_norm, w_norm = next(norm_values), next(norm_values)
        d_norm = next(norm_values) if has_update else 0.0
        a_norm = next(norm_values) if has_grad_a else 0.0
        shown_out = min(width, MAX_UNITS)
        # Each key is defined in nnvis.core.snapshot_schema.LAYER (the tests check it).
        entry = {
            "name": f"hidden{i + 1}" if hidden else "output",
            "module": cap.module_name,
            "type": type(cap.module).__name__,
            "kind": "hidden" if hidden else "output",
            "width": int(width), "fan_in": int(in_width),
            "shown_in": min(int(in_width), MAX_UNITS), "shown_out": shown_out,
            "activation": cap.act_name if hidden else "linear",
            "grad_norm_W": g_norm, "grad_norm_act": a_norm,
            "act_mean": host[(i, "act_mean")], "act_std": host[(i, "act_std")],
            "update_ratio": d_norm / (w_norm + 1e-12),
            "weight_range": float(ranges[w_ref]),
            "dead_fraction": 0.0, "saturated_fraction": 0.0,
            "unit_dead": np.zeros(shown_out, bool),
            "unit_saturated": np.zeros(shown_out, np.float32),
            "preact_hist": None, "act_hist": None,
            "act_range": list(act_range) if act_range else None,
            "bias": host[(i, "bias")].astype(np.float32) if (i, "bias") in host else
            np.zeros(shown_out, np.float32),
            "unit_mean": host[(i, "unit_mean")][:MAX_UNITS].astype(np.float32),
        }
        if (i, "unit_max") in host:
            dead = host[(i, "unit_max")] <= ACTIVATION_CLASSES[cap.act_name].dead_below
            entry["dead_fraction"] = float(dead.mean()) if dead.size else 0.0
            entry["unit_dead"] = dead[:MAX_UNITS]
        if (i, "unit_sat") in host and samples:
            sat = host[(i, "unit_sat")].astype(np.float64) / samples
            entry["saturated_fraction"] = float(sat.mean())
            entry["unit_saturated"] = sat[:MAX_UNITS].astype(np.float32)
        w_block = host[(i, "w_block")]
        entry["edges"] = _host_edges(w_block, conv)
        entry["edges_gradients"] = _host_edges(host[(i, "g_block")], conv)
        entry["edges_ratio"] = _host_edges(
            np.abs(host[(i, "d_block")]) / (np.abs(w_block) + 1e-8) if has_update else
            np.zeros_like(w_block), conv)
        layers.append(entry)
    for (key, _, _), row in zip(hist, counts):
        i, name = key
        layers[i][name] = row
    return layers


def _stack(tensors: list) -> torch.Tensor:
    return torch.stack(tensors) if tensors else torch.zeros(0)
