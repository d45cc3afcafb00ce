"""The network panel's look: edge modes and their legends, pens per magnitude bucket, node
colours."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from nnvis.app import theme, ui_labels

EDGE_MODES = (("weights", ui_labels.source("topology.weights")),
              ("gradients", ui_labels.source("topology.gradients")),
              ("ratio", QT_TRANSLATE_NOOP("TopologyPanel", "Update/weight ratio")))
# Edge pens per magnitude bucket (faint, medium, strong) as (width, alpha, antialias). Wide
# pens are opaque (colour pre-mixed with the background): Qt strokes translucent wide lines
# as one path, 10–30× slower than opaque segments. Dense networks get thin aliased lines
# (1 µs/segment) so 10 layers × 32 shown units (~10k edges) paint in a few ms. Medium edges
# are 1 px (brighter than faint): a 1.6 px antialiased pen cost ~1.2 ms more per paint.
EDGE_PENS_SPARSE = ((1.0, 80, True), (1.0, 170, True), (2.6, 255, True))
EDGE_PENS_DENSE = ((1.0, 28, False), (1.0, 90, False), (2.0, 230, False))
MID = (62, 68, 84)                  # colour of a zero mean activation
INPUT_FILL = (200, 206, 218)
SELECTED = (255, 255, 255)
DROPPED = (245, 215, 80)            # ring of a unit dropped this step: no other node is yellow

LEGEND_TIPS = {  # {0}: LOG_DECADES
    "weights": QT_TRANSLATE_NOOP(
        "TopologyPanel", "Each edge is one weight w into the next layer (only the drawn units' "
        "edges).\nThickness and brightness: |w| relative to the largest |w| of that layer pair."),
    "gradients": QT_TRANSLATE_NOOP(
        "TopologyPanel", "Each edge is ∂L/∂w on the probe batch.\nThickness: |∂L/∂w| on a log "
        "scale relative to the largest in the whole network\n(3 buckets over {0} decades), so "
        "layers whose gradient vanishes fade out."),
    "ratio": QT_TRANSLATE_NOOP(
        "TopologyPanel", "Each edge is |Δw| / |w| of the last optimiser step (how fast that "
        "weight changes).\nHealthy training is around 10⁻³; thickness is on a log scale "
        "relative to the largest\nin the whole network ({0} decades)."),
}

# The same colours as CSS "#rrggbb", for the readouts' and captions' HTML.
HEX_COLORS = {k: "#%02x%02x%02x" % v for k, v in (
    ("pos", theme.POSITIVE), ("neg", theme.NEGATIVE), ("dead", (170, 170, 170)),
    ("sat", theme.SATURATED), ("acc", theme.ACCENT), ("drop", DROPPED))}


def mix_rgb(a, b, t):
    """The RGB colour a fraction ``t`` of the way from ``a`` to ``b``."""
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))
