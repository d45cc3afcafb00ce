"""CSV tables of the panels that draw a picture rather than series: the data view's
prediction grid, the network's edges and the backprop graph's nodes. Qt-free."""
from __future__ import annotations

import numpy as np

from nnvis.core.snapshot_schema import EDGE_MODES

from .table import Table, empty_table

# The edge list's value columns, and the edge mode whose matrix fills each.
EDGE_COLUMNS = {"weight": "weights", "gradient": "gradients", "update_ratio": "ratio"}


def _grid_columns(gs: dict) -> dict:
    """Column name -> values per cell (flattened row by row) of a 2-D grid snapshot."""
    cols = {}
    if gs.get("grid_label") is not None:
        cols["predicted_class"] = np.asarray(gs["grid_label"]).ravel()
        cols["confidence"] = np.asarray(gs["grid_conf"], np.float64).ravel()
    if gs.get("grid_value") is not None:
        cols["prediction"] = np.asarray(gs["grid_value"], np.float64).ravel()
    if gs.get("neuron_grid") is not None:
        cols["neuron_output"] = np.asarray(gs["neuron_grid"], np.float64).ravel()
    return cols


def _columns_table(cols: dict) -> Table:
    """Equal-length columns (name -> values) as a table."""
    return Table(list(cols), [list(r) for r in zip(*(np.asarray(c).tolist()
                                                        for c in cols.values()))])


def prediction_table(gs: dict | None) -> Table:
    """The grid of predicted values with its coordinates (2-D data: one row per cell, the
    cells spread evenly from bound to bound as the engine evaluated them), or the fit (1-D
    data: x, the prediction and, for one hidden layer, each unit's scaled curve)."""
    if not gs:
        return empty_table("x", "y")
    if gs.get("fit_x") is not None:
        x = np.asarray(gs["fit_x"], np.float64)
        cols = {"x": x, "prediction": np.asarray(gs["fit_y"], np.float64)}
        curves = gs.get("unit_curves")
        for i, curve in enumerate(() if curves is None else np.asarray(curves, np.float64)):
            cols[f"unit{i + 1}"] = curve
        return _columns_table(cols)
    grids = [np.asarray(gs[k]) for k in ("grid_label", "grid_value", "neuron_grid")
             if gs.get(k) is not None]
    if gs.get("grid_bounds") is None or not grids:
        return empty_table("x", "y")
    res_y, res_x = grids[0].shape   # rows: y, columns: x
    x0, x1, y0, y1 = (float(v) for v in gs["grid_bounds"])
    gx, gy = np.meshgrid(np.linspace(x0, x1, res_x), np.linspace(y0, y1, res_y))
    return _columns_table({"x": gx.ravel(), "y": gy.ravel(), **_grid_columns(gs)})


def edge_table(snapshot: dict | None) -> Table:
    """The network as an edge list over the units the panel draws: from, to and each value
    the snapshot holds for the edge. The engine sends one matrix, the edge mode chosen in the
    panel (weights, gradients or update ratios); a watched run may send gradients and ratios
    besides. A value the snapshot does not hold stays empty."""
    header = ["from", "to", *EDGE_COLUMNS]
    if not snapshot:
        return empty_table(*header)
    mode = snapshot.get("edge_mode", "weights")
    rows = []
    source = "input"
    for layer in snapshot.get("layers") or ():
        # "edges" holds the chosen mode's matrix (for a watched run too, whose weights it
        # then no longer holds): only the other keys add a mode.
        matrices = {mode: layer["edges"]}
        for m, key in EDGE_MODES.items():
            if key != "edges" and m != mode and layer.get(key) is not None:
                matrices[m] = layer[key]
        mats = [None if matrices.get(m) is None else np.asarray(matrices[m], np.float64)
                for m in EDGE_COLUMNS.values()]
        n_in, n_out = np.shape(layer["edges"])
        for i in range(n_in):
            for j in range(n_out):
                rows.append([f"{source}[{i}]", f"{layer['name']}[{j}]",
                             *(None if m is None else float(m[i, j]) for m in mats)])
        source = layer["name"]
    return Table(header, rows)


def _element_index(index: tuple) -> str:
    return ",".join(map(str, index))


def node_table(graph) -> Table:
    """The backprop graph's nodes, element by element: node, op, which element, its forward
    value and ∂L/∂ of it (the engine's numbers, whether or not the walk has reached them)."""
    header = ["node", "op", "element", "forward", "gradient"]
    if graph is None:
        return empty_table(*header)
    rows = []
    for nid, node in graph.nodes.items():
        value = np.asarray(node.value, np.float64)
        grad = graph.grads.get(nid)
        grad = None if grad is None else np.broadcast_to(np.asarray(grad, np.float64),
                                                          value.shape)
        for index in np.ndindex(value.shape):
            rows.append([nid, node.op, _element_index(index), float(value[index]),
                         None if grad is None else float(grad[index])])
    return Table(header, rows)
