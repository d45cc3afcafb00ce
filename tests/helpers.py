"""Qt-free helpers shared by every test folder: tiny configs, a message recorder, commands
as a pipe delivers them, snapshots."""


def small_config(**overrides):
    """A tiny, fast config for tests (merged over the defaults)."""
    cfg = {"seed": 1, "data": {"name": "xor", "n_samples": 120},
           "model": {"hidden": [6, 6], "activation": "tanh"},
           "optim": {"name": "adam", "lr": 0.02, "batch_size": 16}}
    for path, value in overrides.items():
        node = cfg
        parts = path.split("__")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return cfg


def unchecked(cls, **fields):
    """A command as a pipe may deliver it: unpickling skips ``__init__``, so its fields were
    never checked (and a hand-made pickle may lack some)."""
    cmd = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(cmd, name, value)
    return cmd


class Recorder:
    """Collects a Session's (kind, payload) messages, as a host would receive them."""

    def __init__(self):
        self.messages = []

    def __call__(self, kind, payload):
        self.messages.append((kind, payload))

    def kinds(self):
        return [k for k, _ in self.messages]

    def last(self, kind):
        return [p for k, p in self.messages if k == kind][-1]


def snapshot_after(trainer, steps=0):
    """A snapshot (without the decision grid) after ``steps`` more training steps."""
    from nnvis.core import take_snapshot

    if steps:
        trainer.step(steps)
    return take_snapshot(trainer, grid=False)
