"""The Qt-free NumPy engine of nnvis. Imports only itself, NumPy and the standard library."""
from .config import (ACTIVATIONS, DATASETS, INITS, LIVE_FIELDS, LOSSES, OPTIMIZERS, Config,
                     ConfigError, parse_assignment)
from .data import Dataset, DataError, load_dataset
from .inputs import InputError
from .losses import fitting_loss
from .snapshot import layer_stats, take_snapshot
from .trainer import Trainer

__all__ = ["ACTIVATIONS", "DATASETS", "INITS", "LIVE_FIELDS", "LOSSES", "OPTIMIZERS", "Config",
           "ConfigError", "DataError", "Dataset", "InputError", "Trainer", "load_dataset",
           "fitting_loss", "layer_stats", "parse_assignment", "take_snapshot"]
