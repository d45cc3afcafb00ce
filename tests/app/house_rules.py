"""The house rule, read from the source: objects own their state and talk through signals,
methods and read-models (:func:`strangers_read`), used by ``test_house.py``.

Two things are flagged in a class of ``nnvis.app``:

* ``self.x`` (or ``hasattr``/``getattr(self, "x")``) where neither the class, nor a Qt or
  pyqtgraph base, nor one of the small shared bases in ``SHARED_BASES`` defines ``x``: an
  attribute a mixin hopes a sibling set;
* ``self.a.b``, read or assigned, where ``b`` is a plain data attribute (``self.b = ...``,
  not a method, signal or property) of some ``nnvis.app`` class: another object's state.
  This goes by name (Python has no types to go by), so a name one class keeps as data and
  another offers as a method or property counts as the latter.
"""
from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "nnvis" / "app"
# Small bases every widget of a kind shares; what they define their subclasses may use.
SHARED_BASES = {"nnvis.app.i18n.Retranslating", "nnvis.app.panels.base.Panel",
                "nnvis.app.worker.QueueWorker", "nnvis.app.worker.EngineHandle"}


def _module_name(path: Path) -> str:
    return "nnvis.app." + ".".join(path.relative_to(APP).with_suffix("").parts)


def _classes(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]


def _self_assigned(cls: ast.ClassDef) -> set[str]:
    names = set()
    for node in ast.walk(cls):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for t in targets:
            for sub in ast.walk(t):
                if (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name)
                        and sub.value.id == "self"):
                    names.add(sub.attr)
    return names


def _declared(cls: ast.ClassDef) -> set[str]:
    """Methods, properties and class attributes (signals, constants)."""
    names = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _is_read_model(cls: ast.ClassDef) -> bool:
    """A dataclass or named tuple: data by design, read by whoever gets one."""
    return any("dataclass" in ast.unparse(d) for d in cls.decorator_list) or any(
        "NamedTuple" in ast.unparse(b) for b in cls.bases)


def _plain_data_names(paths) -> set[str]:
    data, behaviour = set(), set()
    for path in paths:
        for cls in _classes(path):
            if _is_read_model(cls):
                continue
            data |= _self_assigned(cls)
            behaviour |= {n.name for n in cls.body
                          if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            behaviour |= {t.id for n in cls.body if isinstance(n, ast.Assign)
                          for t in n.targets if isinstance(t, ast.Name)
                          and "Signal" in ast.unparse(n.value)}
    # Names of builtin containers' and Qt's own members are someone's method, not state.
    from PySide6.QtWidgets import QMainWindow
    everyday = set().union(*(dir(t) for t in (dict, list, set, str, tuple, QMainWindow)))
    return data - behaviour - everyday


def _allowed(module, cls: ast.ClassDef) -> set[str]:
    allowed = _self_assigned(cls) | _declared(cls)
    live = getattr(module, cls.name, None)
    if not inspect.isclass(live):
        return allowed
    for base in live.__mro__[1:]:
        qual = f"{base.__module__}.{base.__qualname__}"
        if not base.__module__.startswith("nnvis.app"):
            allowed |= set(dir(base))
        elif qual in SHARED_BASES:
            allowed |= set(dir(base))
            path = Path(inspect.getsourcefile(base))
            allowed |= next((_self_assigned(c) for c in _classes(path)
                             if c.name == base.__name__), set())
    return allowed


def _self_reads(cls: ast.ClassDef):
    for node in ast.walk(cls):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == "self" and isinstance(node.ctx, ast.Load)):
            yield node.lineno, node.attr
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("hasattr", "getattr") and len(node.args) >= 2
              and isinstance(node.args[0], ast.Name) and node.args[0].id == "self"
              and isinstance(node.args[1], ast.Constant)):
            yield node.lineno, node.args[1].value


def _reaches_into_others(cls: ast.ClassDef, plain: set[str]):
    for node in ast.walk(cls):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Name) and node.value.value.id == "self"
                and node.attr in plain):
            yield node.lineno, f"self.{node.value.attr}.{node.attr}"


def strangers_read(modules: list[str]) -> list[str]:
    """Every breach of the rule in the classes of ``modules`` (paths under nnvis/app)."""
    all_paths = sorted(APP.rglob("*.py"))
    plain = _plain_data_names(all_paths)
    found = []
    for rel in modules:
        path = APP / rel
        module = importlib.import_module(_module_name(path))
        for cls in _classes(path):
            allowed = _allowed(module, cls)
            for line, name in _self_reads(cls):
                if name not in allowed:
                    found.append(f"{rel}:{line} {cls.name} reads self.{name}, "
                                 "which nothing it is defines")
            for line, chain in _reaches_into_others(cls, plain):
                found.append(f"{rel}:{line} {cls.name} reaches into {chain}")
    return found
