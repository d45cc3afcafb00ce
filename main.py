"""Launch the nnvis desktop app: ``python main.py`` (same as the ``nnvis`` command)."""
from nnvis.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
