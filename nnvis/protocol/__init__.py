"""The watch protocol: how a watched script and the app talk, live or through a file.

The wire framing (:mod:`.wire`), the socket link and the app's listener (:mod:`.link`,
:mod:`.listener`), recordings (:mod:`.recording`) and the checks every received value
passes (:mod:`.watched`, derived from the snapshot's one definition in
:mod:`nnvis.core.snapshot_schema`). Kept apart from :mod:`nnvis.core` so the engine
knows nothing of who watches it; it may use the engine's constants (``nnvis.core``),
NumPy and the standard library, never Qt.
"""
