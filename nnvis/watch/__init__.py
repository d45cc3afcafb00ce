"""Watch a PyTorch training run with nnvis's panels.

::

    import nnvis.watch
    w = nnvis.watch.attach(model, every=50, record="run.nnvisrec")   # or connect=..., token=...
    for xb, yb in loader:
        opt.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        opt.step()
        w.log(loss=loss)          # once per optimiser step (w.step() if there is nothing to log)
    w.close()

See :func:`attach` and :class:`~nnvis.watch.watcher.Watcher` for the details. PyTorch is an
optional dependency of nnvis (``pip install 'nnvis[torch]'``); only this package needs it.
"""
try:
    import torch  # noqa: F401
except ImportError as exc:  # say what to do, not just what is missing
    raise ImportError(
        "nnvis.watch needs PyTorch, which is not installed: pip install 'nnvis[torch]' "
        f"(or install torch for your platform from pytorch.org). ({exc})") from exc

from .watcher import NullWatcher, Watcher, attach

__all__ = ["NullWatcher", "Watcher", "attach"]
