"""The house rules that a test can hold: no class in the app is over 400 lines, and the
network panel's layout maths works without Qt."""
import ast
import subprocess
import sys
from pathlib import Path

import numpy as np

APP = Path(__file__).resolve().parent.parent / "nnvis" / "app"
MAX_CLASS_LINES = 400


def test_no_class_in_the_app_is_over_400_lines():
    big = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_CLASS_LINES:
                    big.append(f"{path.relative_to(APP)}: {node.name} ({lines} lines)")
    assert not big, f"split these by job: {big}"


def test_the_network_layout_maths_imports_without_qt():
    code = ("import sys; import nnvis.app.panels.topology_layout; "
            "sys.exit(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_every_kth_column_keeps_the_first_and_the_output():
    from nnvis.app.panels.topology_layout import every_kth

    assert every_kth(5, 1) == [0, 1, 2, 3, 4]
    assert every_kth(7, 2) == [0, 2, 4, 6]
    assert every_kth(8, 3) == [0, 3, 7]       # 6 would crowd the output column
    assert every_kth(2, 5) == [0, 1]


def test_colour_ranges_grow_at_once_and_shrink_late():
    from nnvis.app.panels.topology_layout import SymmetricRange

    r = SymmetricRange()
    first = r.update(0.9)
    assert first >= 0.9
    top = r.update(5.0)
    assert top >= 5.0                         # grows at once
    assert r.update(3.0) == top               # no flicker for a small drop
    assert r.update(0.1) < 1.0                # a drop below a quarter shrinks it


def test_per_unit_pads_short_or_missing_values():
    from nnvis.app.panels.topology_layout import per_unit

    np.testing.assert_array_equal(per_unit({"v": [1.0, 2.0]}, "v", 4, np.nan)[:2], [1.0, 2.0])
    assert np.isnan(per_unit({"v": [1.0, 2.0]}, "v", 4, np.nan)[2:]).all()
    assert per_unit({}, "v", 3, False, bool).tolist() == [False] * 3


def test_a_structure_change_changes_the_key_and_training_does_not():
    from nnvis.app.panels.topology_layout import structure_key

    lay = {"name": "hidden1", "kind": "hidden", "width": 4, "edges": np.zeros((2, 4)),
           "unit_mean": np.zeros(4)}
    snap = {"task": "classification", "n_classes": 2, "n_features": 2, "layers": [lay]}
    trained = dict(snap, layers=[dict(lay, unit_mean=np.ones(4))])
    wider = dict(snap, layers=[dict(lay, width=8)])
    assert structure_key(snap) == structure_key(trained) != structure_key(wider)
