"""Recordings of watched runs built without PyTorch: NumPy-engine snapshots in the schema a
watched script sends, written with the real writer (the app-side tests need no torch)."""
from nnvis.core import Config, Trainer, take_snapshot
from nnvis.protocol.recording import RecordingWriter
from nnvis.protocol.watched import LAYER_FIELDS

RUN = {"model": "NumPyMLP", "device": "cpu", "every": 10, "param_count": 0}


def watched_payload(trainer, since_step: int) -> dict:
    """The "snapshot" message a watched script would send for this trainer's state."""
    s = take_snapshot(trainer, grid=False)
    steps, values = trainer.loss_history.arrays()
    new = steps > since_step
    layers = [{k: lay[k] for k in LAYER_FIELDS if k in lay} for lay in s["layers"]]
    for lay, full in zip(layers, s["layers"]):
        lay["edges_gradients"] = full["edges"] * 0.5
        lay["edges_ratio"] = abs(full["edges"]) * 1e-3
    return {**{k: s[k] for k in ("step", "epoch", "batch_loss", "train_loss", "test_loss",
                                 "train_acc", "test_acc", "lr", "optimizer", "param_count",
                                 "activation", "task", "n_classes", "n_features", "dataset")},
            "running": True, "layers": layers,
            "losses": {"step": steps[new], "loss": values[new, 0]}}


def write_numpy_recording(path, config: dict, snapshots: int = 6, every: int = 10) -> list:
    """Train a NumPy trainer and record a snapshot every ``every`` steps; the payloads."""
    trainer = Trainer(Config.from_dict(config))
    payloads = []
    with RecordingWriter(path) as rec:
        rec.write("run", dict(RUN, every=every, param_count=trainer.parameter_count()))
        last = -1
        for _ in range(snapshots):
            trainer.step(every)
            payloads.append(watched_payload(trainer, last))
            last = trainer.step_count
            rec.write("snapshot", payloads[-1])
        rec.write("end", {"step": trainer.step_count})
    return payloads
