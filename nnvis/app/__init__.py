"""The PySide6 desktop app. It renders snapshots and sends commands; it never trains."""
