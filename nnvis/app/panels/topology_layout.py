"""The network panel's layout maths, without Qt: the columns and where their nodes go,
how many units fit, which captions to show, and the small numeric helpers the drawing and the readout share. Unit-tested on their own."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np


DENSE_EDGES = 800                   # more edges than this ⇒ EDGE_PENS_DENSE (~5 µs/edge sparse)
# Bucket thresholds on |w| / max |w| of the layer pair (sparse, dense): a dense pair has
# many more near-max weights, so it needs higher thresholds to keep the strong ones few.
WEIGHT_THRESHOLDS = {False: (0.25, 0.55), True: (0.4, 0.7)}
LOG_DECADES = 3.0                   # gradients/ratios: log10 range below the network's max
LOG_THRESHOLDS = (0.5, 0.85)        # ⇒ within 10^-1.5 (medium) / 10^-0.45 (strong) of the max
LUT_LEVELS = 41
COLOR_GAMMA = 0.6                   # < 1: moderate activations get visibly coloured
SHOW_SAT_FROM = 0.05                # summary strip shows "sat x%" from 5% of unit-samples
SAT_THRESHOLD = 0.5                 # unit_saturated above this ⇒ red ring
BIAS_STEPS = (0.05, 0.5)            # |b| ⇒ border width steps
TOP_TAGS, TOP_PLAIN = 50, 16       # top margin with / without tags and residual arcs (px)
BOTTOM = 66                         # bottom margin: "+N more", column labels, summary (px)
MAX_GAP = 46.0                      # largest vertical distance between nodes (px)
NODE_FILL = 0.72                    # node diameter / vertical distance between nodes
# Below ~9 px a grey (dead) or hollow (dropped) node reads as a dot, which is what the
# dead-ReLU and dropout lessons ask students to look at: a column that does not fit at this
# size shows fewer units (its "+N more" caption grows) instead of smaller ones.
MIN_NODE = 9.0
STRIP_FILL = 0.45                   # node width / column spacing at most (many layers)
MIN_STRIP_NODE = 3.0
LABEL_GAP = 6.0                     # least free space between neighbouring captions (px)
KEEP_CHARS = 40                     # longest readout part kept on one line


def _keep(html: str) -> str:
    """``html`` with its text's spaces made non-breaking (tags untouched), so a readout
    wraps between its " · "-joined parts, not inside one (no lone "it" on a line). A part
    longer than ``KEEP_CHARS`` is a sentence: it may wrap like one rather than overflow."""
    if len(re.sub(r"<[^>]*>", "", html)) > KEEP_CHARS:
        return html
    return re.sub(r" (?![^<]*>)", "&nbsp;", html)


def join_readout(parts) -> str:
    """A readout's parts joined into HTML, " · " between them.

    The space before each "·" does not break: a wrapped line ends with "·", the next
    begins with a word."""
    return "&nbsp;· ".join(_keep(p) for p in parts)


def percent_text(f) -> str:
    """A fraction as a whole percentage; "<1%" where rounding would say 0% of something."""
    f = float(f)
    return "<1%" if 0 < f < 0.005 else f"{100 * f:.0f}%"


def finite_or(v, default=0.0) -> float:
    """``v`` as a float, or ``default`` where a snapshot holds None, text or a non-finite."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


@dataclass
class Column:
    kind: str            # "input" | "hidden" | "output"
    name: str
    shown: int
    total: int
    x: float
    start: int           # offset of its first node in the node arrays
    layer: int           # index into snapshot["layers"] (-1 for the input column)
    ys: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class Geometry:
    """Where the network panel's nodes are: one read-model the panel lays out on a structure
    or size change and hands to its parts (items, labels, hover), so none keeps a copy."""
    columns: list[Column] = field(default_factory=list)
    node_x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    node_y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    node_size: float = 10.0

    def position(self, column: int, unit: int) -> tuple[float, float]:
        """(x, y) of a drawn node in view (= pixel) coordinates; column 0 is the input."""
        i = self.columns[column].start + unit
        return float(self.node_x[i]), float(self.node_y[i])


def structure_key(snap: dict):
    key = [snap.get("task"), snap.get("n_classes"), snap.get("n_features")]
    for lay in snap.get("layers") or ():
        e = lay.get("edges")
        key.append((lay.get("name"), lay.get("kind"), lay.get("width"), lay.get("fan_in"),
                    lay.get("shown_in"), lay.get("shown_out"), lay.get("activation"),
                    bool(lay.get("batch_norm")), round(finite_or(lay.get("dropout")), 4),
                    bool(lay.get("residual")), None if e is None else tuple(np.shape(e))))
    return tuple(key)


def every_kth(n: int, k: int) -> list[int]:
    """Every k-th of n columns, always with the first and the last (the output)."""
    picked = list(range(0, n, k))
    if picked[-1] != n - 1:
        if n - 1 - picked[-1] < k and len(picked) > 1:
            picked.pop()
        picked.append(n - 1)
    return picked


def per_unit(lay: dict, name: str, k: int, fill, dtype=np.float64) -> np.ndarray:
    """lay[name][:k] as a length-k array (padded with ``fill`` if short or missing)."""
    out = np.full(k, fill, dtype=dtype)
    v = lay.get(name)
    if v is not None:
        v = np.asarray(v).ravel()[:k]
        out[:v.size] = v
    return out
