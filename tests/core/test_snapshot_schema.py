"""The snapshot's one definition (nnvis/core/snapshot_schema.py) holds for what the engine
takes and what a watched script sends, and the panel contract's field list is its current
rendering."""
import ast
from pathlib import Path

import pytest
from helpers import small_config

from nnvis.core import Config, Trainer, take_snapshot
from nnvis.core.fields import SchemaError, check_record
from nnvis.core.snapshot_doc import updated
from nnvis.core.snapshot_schema import (LAYER, RUN, SNAPSHOT, layer_order, panel_fields,
                                        wire_fields)
from nnvis.protocol.watched import WatchedRun
from recordings import RUN as RUN_MESSAGE, watched_payload

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "panel_contract.md"
WATCH = ROOT / "nnvis" / "watch"


def assert_defined(snap: dict):
    """Every key is in the definition and every value passes its check."""
    assert set(snap) <= set(SNAPSHOT), set(snap) - set(SNAPSHOT)
    for layer in snap["layers"]:
        assert set(layer) <= set(LAYER), set(layer) - set(LAYER)
    check_record(snap, panel_fields(SNAPSHOT), "snapshot")


@pytest.mark.parametrize("overrides, probe", [
    ({}, (0, 1)),
    ({"model__batch_norm": True, "model__dropout": 0.2, "data__name": "spiral"}, None),
    ({"data__name": "sine", "model__hidden": [8], "model__loss": "mse"}, None),
])
def test_take_snapshot_holds_to_the_definition(overrides, probe):
    trainer = Trainer(Config.from_dict(small_config(**overrides)))
    trainer.step(5)
    snap = take_snapshot(trainer, probe=probe, include_data=True)
    assert_defined(dict(snap, running=False))          # the session adds "running"


def test_a_watched_message_and_what_the_app_makes_of_it_hold_to_the_definition():
    trainer = Trainer(Config.from_dict(small_config()))
    trainer.step(5)
    payload = watched_payload(trainer, -1)
    check_record(payload, wire_fields(SNAPSHOT), "snapshot")
    run = WatchedRun()
    run.feed("run", RUN_MESSAGE)
    assert_defined(run.feed("snapshot", payload))


def test_a_value_off_the_definition_is_refused_in_one_line():
    snap = dict(take_snapshot(Trainer(Config.from_dict(small_config())), grid=False),
                running=False, n_classes=-1)
    with pytest.raises(SchemaError, match=r"^snapshot\.n_classes: expected a whole number"):
        check_record(snap, panel_fields(SNAPSHOT), "snapshot")


def test_a_new_layer_kind_fits_the_layer_order_rule():
    layers = [{"name": n, "kind": k} for n, k in
              [("conv1", "conv"), ("attn", "attention"), ("output", "output")]]
    assert layer_order(layers) is None
    assert layer_order(layers[::-1]) == "the last layer, and only it, must be the output"


def test_the_panel_contract_lists_the_fields_of_the_definition():
    text = DOC.read_text(encoding="utf-8")
    assert updated(text) == text, ("docs/panel_contract.md is out of date: run "
                                   "python -m nnvis.core.snapshot_doc docs/panel_contract.md")


def _keys(node) -> set:
    return {k.value for k in node.keys if isinstance(k, ast.Constant)}


def _function(path: Path, name: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)


def test_what_the_pytorch_watcher_sends_is_in_the_definition():
    """Without torch here, read the watcher's source: every key its snapshot, layers and
    run message name is defined (with torch, tests/test_watch_torch.py checks every value
    it sends with the protocol's tables, which are the definition's)."""
    snapshot = _function(WATCH / "watcher.py", "snapshot")
    sent = _keys(next(n for n in ast.walk(snapshot) if isinstance(n, ast.Dict)))
    assert sent <= set(wire_fields(SNAPSHOT)), sent - set(wire_fields(SNAPSHOT))
    run = next(n for n in ast.walk(ast.parse((WATCH / "watcher.py").read_text("utf-8")))
               if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "_send" and
               getattr(n.args[0], "value", "") == "run")
    assert _keys(run.args[1]) <= set(wire_fields(RUN))
    layers = _function(WATCH / "stats.py", "layer_snapshots")
    entry = next(n.value for n in ast.walk(layers) if isinstance(n, ast.Assign) and
                 getattr(n.targets[0], "id", "") == "entry")
    keys = _keys(entry) | {n.targets[0].slice.value for n in ast.walk(layers)
                           if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Subscript)
                           and getattr(n.targets[0].value, "id", "") == "entry"}
    assert keys <= set(wire_fields(LAYER)), keys - set(wire_fields(LAYER))
