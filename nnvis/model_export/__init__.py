"""The trained network out of nnvis: readable PyTorch code (:mod:`.pytorch_code`) and ONNX
(:mod:`.onnx_graph`), both written from one description of the network
(:class:`nnvis.core.model_spec.ModelSpec`, which the session can send the app)."""
from nnvis.core.model_spec import ModelSpec, model_spec

__all__ = ["ModelSpec", "model_spec", "export_model", "write_model", "onnx_available",
           "SUFFIXES"]

#: What a network can be written as: PyTorch code, or ONNX.
SUFFIXES = (".py", ".onnx")


def onnx_available() -> bool:
    """Whether the optional ``onnx`` package (``nnvis[onnx]``) is installed."""
    try:
        import onnx  # noqa: F401
    except ImportError:
        return False
    return True


def export_model(trainer, path) -> list:
    """Write ``trainer``'s network to ``path``: ``.py`` (PyTorch code, its weights in a
    ``.npz`` beside it) or ``.onnx``. Returns the paths written."""
    return write_model(model_spec(trainer), path)


def write_model(spec: ModelSpec, path) -> list:
    """Write the network ``spec`` describes to ``path`` (``.py`` or ``.onnx``)."""
    from pathlib import Path

    path = Path(path)
    if path.suffix == ".py":
        from .pytorch_code import write_pytorch
        return write_pytorch(spec, path)
    if path.suffix == ".onnx":
        from .onnx_graph import write_onnx
        return write_onnx(spec, path)
    raise ValueError(f"{path.name}: export to a .py (PyTorch) or .onnx file")
