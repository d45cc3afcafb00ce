"""Snapshots of trainers on CSVs the tests write (issue 19): a whole-number regression
target with a validation split and early stopping, and three named species."""
from real_data import three_species_csv, whole_number_regression_csv
from nnvis.core import Trainer, take_snapshot


def trained_snapshot(cfg, steps, every=25):
    """The snapshot (with the data views) after up to ``steps`` steps, evaluated every
    ``every`` steps as the app's snapshots do, stopping where early stopping does."""
    t = Trainer(cfg)
    for _ in range(steps // every):
        t.step(every)
        take_snapshot(t, grid=False)
        if t.early_stop is not None:
            break
    return take_snapshot(t, include_data=True)


def regression_config(tmp_path, **optim):
    return {"seed": 0, "data": {"path": whole_number_regression_csv(tmp_path),
                                "label_column": "score", "val_fraction": 0.2},
            "model": {"hidden": [32, 32], "activation": "tanh", "loss": "mse"},
            "optim": {"lr": 0.01, "batch_size": 32, "early_stopping": True, "patience": 10,
                      "eval_every": 25, **optim}}


def species_config(tmp_path, **data):
    return {"seed": 0, "data": {"path": three_species_csv(tmp_path),
                                "label_column": "species", **data},
            "model": {"hidden": [16]}, "optim": {"batch_size": 32, "lr": 0.01}}
