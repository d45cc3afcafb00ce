"""nnvis.core imports only itself, NumPy and the standard library; the lesson catalogue
imports no Qt or third-party modules either."""
import ast
import subprocess
import sys
from pathlib import Path

import nnvis

PACKAGE = Path(nnvis.__file__).parent
CORE = PACKAGE / "core"


def test_core_imports_no_qt_or_third_party_modules():
    code = (
        "import sys, nnvis.core, nnvis.core.session, nnvis.core.gradcheck, nnvis.lessons\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6','PyQt5','PyQt6','shiboken6','pyqtgraph','scipy','sklearn','pandas','torch')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported: {out.stdout}"


def imported_modules(path: Path, package: str):
    """(line, absolute name) of everything a file imports, lazy imports inside functions
    included (still a dependency, only a later one). ``from M import n`` gives ``M.n``: n
    may be a submodule (``from .. import app``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                if node.level > len(parts):
                    base = "<above the top package>"
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def allowed_in_core(module: str) -> bool:
    parts = module.split(".")
    if parts[0] == "nnvis" and len(parts) > 1:
        # A name from the package root (its version, the resources path: the root runs
        # anyway before nnvis.core can) is fine; a module beside core is not.
        sub = parts[1]
        return sub == "core" or not ((PACKAGE / sub).is_dir() or (PACKAGE / f"{sub}.py").exists())
    return parts[0] == "numpy" or parts[0] in sys.stdlib_module_names


def test_core_imports_only_core_numpy_and_the_standard_library():
    bad = []
    for path in sorted(CORE.rglob("*.py")):
        package = ".".join(("nnvis",) + path.relative_to(PACKAGE).parent.parts)
        for line, module in imported_modules(path, package):
            if not allowed_in_core(module):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def test_the_package_root_imports_only_the_standard_library():
    modules = [m for _, m in imported_modules(PACKAGE / "__init__.py", "nnvis")]
    assert all(m.split(".")[0] in sys.stdlib_module_names for m in modules), modules


def test_the_import_scan_sees_lazy_and_relative_imports(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("from .config import X\nfrom .. import app\n"
                      "def f():\n    from nnvis.lessons.claims import g\n")
    found = [m for _, m in imported_modules(source, "nnvis.core")]
    assert found == ["nnvis.core.config.X", "nnvis.app", "nnvis.lessons.claims.g"]
    assert [allowed_in_core(m) for m in found] == [True, False, False]
    assert allowed_in_core("nnvis.RESOURCES") and allowed_in_core("numpy.linalg")


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)


def import_graph() -> dict:
    """{module: the nnvis modules it imports}, lazy imports included. An imported name
    counts as the longest module its dotted path names (``nnvis.core.Config`` is
    ``nnvis.core``); a package imported only as a parent of a module does not count (Python
    runs it first, but it is the package's own business, not a dependency of the file)."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}

    def resolve(name: str) -> str | None:
        parts = name.split(".")
        while parts and ".".join(parts) not in files:
            parts.pop()
        return ".".join(parts) or None

    graph = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        graph[module] = {r for _, name in imported_modules(path, package)
                         if name.split(".")[0] == "nnvis" for r in [resolve(name)]
                         if r and r != module}
    return graph


def cycles(graph: dict) -> list:
    """The cycles a depth-first search meets (each as the path that closes it)."""
    found, state, path = [], {}, []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_import_cycles_among_nnvis_modules():
    found = cycles(import_graph())
    assert not found, "\n".join(" -> ".join(c) for c in found)


def test_core_imports_no_other_nnvis_package():
    """The engine knows nothing of the protocol, the app or the watcher (they use it); the
    package root (its version) is fine."""
    bad = {f"{m} imports {d}" for m, deps in import_graph().items()
           if m.startswith("nnvis.core") for d in deps if d != "nnvis" and
           not d.startswith("nnvis.core")}
    assert not bad, sorted(bad)


def test_the_protocol_imports_only_core_numpy_and_the_standard_library():
    code = ("import sys, nnvis.protocol.listener, nnvis.protocol.link, nnvis.protocol.watched, "
            "nnvis.protocol.recording\n"
            "print(','.join(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'pyqtgraph', 'torch')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the protocol imported: {out.stdout}"
    bad = {f"{m} imports {d}" for m, deps in import_graph().items()
           if m.startswith("nnvis.protocol")
           for d in deps if d != "nnvis" and not d.startswith(("nnvis.core", "nnvis.protocol"))}
    assert not bad, sorted(bad)


def test_the_cycle_search_finds_a_lazy_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
