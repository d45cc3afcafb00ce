"""docs/notes_map.md stays true: every id it names exists (lesson, panel, backprop graph,
CLI command and option, test function), every status is one of the four, every row that is
not "shown" says what is missing or why, and all five notes appear. The test files are read
with ast, never run; no Qt widget is created."""
import ast
import argparse
import re
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "notes_map.md"

#: The five notes of ../shared/seeds/ the map covers.
NOTES = ("000_b7ff7324a917bed8.txt", "001_f70b7638a0a9a55b.txt", "002_955103a3e3488521.txt",
         "003_a7122d4e9acd7cd8.txt", "004_72f206490f66b061.txt")
STATUSES = ("shown", "partly", "not shown", "out of scope")
HEADER = ["note", "concept", "shown by", "status", "missing / why"]
PREFIXES = ("lesson", "panel", "graph", "test", "cli")
# A backticked id: `prefix:rest`.
ID = re.compile(r"`(" + "|".join(PREFIXES) + r"):([^`]+)`")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _rows() -> list[dict]:
    """The rows of the table whose header is HEADER, as dicts."""
    lines = MAP.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith("|") and _cells(line) == HEADER)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = _cells(line)
        assert len(cells) == len(HEADER), f"{len(cells)} cells, not {len(HEADER)}: {line}"
        rows.append(dict(zip(HEADER, cells)))
    return rows


@lru_cache(maxsize=None)
def _known() -> dict:
    from nnvis.app.dock_layout import DOCK_TITLES          # imports Qt, creates no widget
    from nnvis.app.panels.backprop import BackpropPanel
    from nnvis.cli import build_parser
    from nnvis.core import backprop
    from nnvis.lessons.catalog import LESSONS

    subparsers = next(a for a in build_parser()._actions
                      if isinstance(a, argparse._SubParsersAction))
    kinds = set(BackpropPanel.KINDS)
    assert all(callable(getattr(backprop, f"{kind}_graph", None)) for kind in kinds)
    return {"lesson": set(LESSONS), "panel": set(DOCK_TITLES), "graph": kinds,
            "cli": dict(subparsers.choices)}


@lru_cache(maxsize=None)
def _test_names(path: str) -> set[str]:
    """``name`` and ``Class::name`` of every test function in a test file, read with ast."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(f"{node.name}::{f.name}" for f in node.body
                         if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return {n for n in names if n.split("::")[-1].startswith("test")}


def _problem(prefix: str, rest: str) -> str | None:
    """Why the id ``prefix:rest`` does not exist, or None."""
    known = _known()
    if prefix == "test":
        path, sep, name = rest.partition("::")
        if not sep or not path.startswith("tests/") or not path.endswith(".py"):
            return "not tests/PATH.py::NAME"
        if not (ROOT / path).is_file():
            return f"no file {path}"
        return None if name in _test_names(path) else f"no test function {name} in {path}"
    if prefix == "cli":
        command, *args = rest.split()
        parser = known["cli"].get(command)
        if parser is None:
            return f"no subcommand {command!r}"
        options = {s for a in parser._actions for s in a.option_strings}
        unknown = [a for a in args if a.startswith("-") and a not in options]
        return f"{command} has no option {unknown}" if unknown else None
    return None if rest in known[prefix] else f"no {prefix} {rest!r}"


def test_the_table_has_rows_for_every_note_and_only_known_statuses():
    rows = _rows()
    assert len(rows) > 50
    for row in rows:
        named = re.findall(r"\d{3}_[0-9a-f]{16}\.txt", row["note"])
        assert len(named) == 1 and named[0] in NOTES, row["note"]
        assert re.search(r"[\u4e00-\u9fff]", row["note"]), f"no Chinese heading: {row['note']}"
        # The notes' own term in brackets (Chinese where the notes have one).
        assert re.search(r"\([^)]+\)$", row["concept"]), f"no term: {row['concept']}"
        assert row["status"] in STATUSES, row
    seen = {re.search(r"\d{3}_[0-9a-f]{16}\.txt", row["note"]).group() for row in rows}
    assert seen == set(NOTES)


def test_shown_rows_name_ids_and_the_others_say_what_is_missing_or_why():
    for row in _rows():
        ids = ID.findall(row["shown by"])
        if row["status"] in ("shown", "partly"):
            assert ids, f"a {row['status']} row names no id: {row['concept']}"
        else:
            assert row["shown by"] in ("—", ""), f"{row['status']} yet shown by: {row}"
        # Every backticked item in "shown by" is a prefixed id.
        items = re.findall(r"`([^`]+)`", row["shown by"])
        assert len(items) == len(ids), f"an id without a known prefix: {row['shown by']}"
        if row["status"] != "shown":
            assert len(row["missing / why"]) >= 20, f"no reason: {row['concept']}"


def test_every_named_id_exists():
    named = {(p, r) for row in _rows() for cell in row.values() for p, r in ID.findall(cell)}
    assert {p for p, _ in named} == set(PREFIXES)       # the checks below all run
    problems = [f"`{p}:{r}`: {why}" for p, r in sorted(named)
                if (why := _problem(p, r)) is not None]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("bad", ["lesson:no-such-lesson", "panel:nope", "graph:nope",
                                 "cli:nope", "cli:train --nope",
                                 "test:tests/lessons/test_lessons.py::test_nope",
                                 "test:tests/nope.py::test_x"])
def test_a_wrong_id_is_caught(bad):
    prefix, rest = bad.split(":", 1)
    assert _problem(prefix, rest) is not None
