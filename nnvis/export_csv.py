"""CSV files a spreadsheet opens as they are: tables of numbers, and training metrics as one
flat row per logged step with one column per metric (``hidden1.grad_norm_W`` …).

Qt-free and engine-free (the standard library and NumPy), so the app's exports and the
command line's ``--metrics run.csv`` can share it.
"""
from __future__ import annotations

import csv
import math
from typing import Iterable, Sequence

import numpy as np

#: A run's scalars, in this order first; whichever a record lacks stay out.
RUN_METRICS = ("step", "epoch", "batch_loss", "train_loss", "test_loss", "train_acc",
               "test_acc", "val_loss", "val_acc", "train_r2", "test_r2", "val_r2",
               "train_mae", "test_mae", "val_mae", "best_step", "lr")
#: Each layer's scalars, as columns ``<layer>.<metric>``.
LAYER_METRICS = ("grad_norm_W", "grad_norm_act", "update_ratio", "act_mean", "act_std",
                 "dead_fraction", "saturated_fraction")


def cell(value) -> str:
    """One value as text: integers as they are, floats at full precision (what is read back
    is what was kept), a missing value (None, NaN) empty, as spreadsheets expect."""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(int(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return "" if math.isnan(v) else repr(v)
    return str(value)


def write_table(path, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write ``header`` and ``rows`` to ``path`` (UTF-8, one table); how many rows."""
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        for row in rows:
            out.writerow([cell(v) for v in row])
            n += 1
    return n


def _measured(value) -> bool:
    return value is not None and not (isinstance(value, (float, np.floating))
                                      and math.isnan(value))


def metric_row(record: dict) -> dict:
    """One flat row from a snapshot or a metrics record: the run's scalars, then each layer's
    as ``<name>.<metric>`` (a layer's arrays stay out: they are not metrics)."""
    # A metric the run does not measure (R² of classes, a validation loss without a
    # validation set) is left out, so it gets no column of empty cells.
    row = {k: record[k] for k in RUN_METRICS if _measured(record.get(k))}
    for layer in record.get("layers") or ():
        for key in LAYER_METRICS:
            if key in layer:
                row[f"{layer['name']}.{key}"] = layer[key]
    return row


def metric_columns(rows: Iterable[dict]) -> list[str]:
    """Every column any row has, in the order they first appear (a layer added mid-run gets
    its columns at the end; rows without it leave them empty)."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def write_metrics(path, rows: Sequence[dict]) -> int:
    """The rows of :func:`metric_row` as one table; how many rows."""
    columns = metric_columns(rows)
    return write_table(path, columns, ([row.get(c) for c in columns] for row in rows))
