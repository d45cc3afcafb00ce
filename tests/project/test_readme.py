"""README's two set-up commands stay true: CI runs the very test command README gives."""
import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    command = re.search(r"^TEST_COMMAND='(.+)'$", ci, re.M).group(1)
    assert 'eval "$TEST_COMMAND"' in ci
    readme = (ROOT / "README.md").read_text()
    assert command in readme.splitlines()


def test_readme_app_command_installs_and_launches():
    readme = (ROOT / "README.md").read_text()
    lines = [l for l in readme.splitlines() if "python main.py" in l]
    assert lines and "pip install -e ." in lines[0] and "python3 -m venv" in lines[0]


def _release(dist: str) -> tuple:
    return tuple(int(part) for part in re.findall(r"\d+", metadata.version(dist))[:3])


def test_the_installed_qt_and_pyqtgraph_are_versions_that_work():
    # What pyproject.toml's pins must keep out of a fresh install, as measured here:
    # PySide6 6.12 crashes on Python < 3.12 (none_dealloc after a few hundred Qt calls) and
    # 6.9.1 breaks pyqtgraph; pyqtgraph outside 0.14 is untested with this Qt.
    qt = _release("PySide6-Essentials")
    assert (6, 9, 3) <= qt < (6, 12), f"PySide6-Essentials {qt} is not a version that works"
    assert (0, 14) <= _release("pyqtgraph")[:2] < (0, 15)
    import PySide6
    assert tuple(PySide6.__version_info__[:3]) == qt   # the module is the pinned wheel
