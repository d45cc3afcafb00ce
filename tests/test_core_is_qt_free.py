"""nnvis.core and the lesson catalogue import only NumPy and the standard library."""
import subprocess
import sys


def test_core_imports_no_qt_or_third_party_modules():
    code = (
        "import sys, nnvis.core, nnvis.core.session, nnvis.core.gradcheck, nnvis.lessons\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6','PyQt5','PyQt6','shiboken6','pyqtgraph','scipy','sklearn','pandas','torch')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported: {out.stdout}"
