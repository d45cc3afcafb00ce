"""README's two set-up commands stay true: CI runs the very test command README gives."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


def test_pyproject_pins_the_qt_versions_that_work():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"PySide6-Essentials>=6.9.3,<6.12"' in text
    assert '"pyqtgraph>=0.14,<0.15"' in text
