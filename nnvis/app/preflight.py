"""What must hold before a window is made, checked without Qt: a display to show it on, and
a file to open that is a file. Each problem is one English line for the terminal."""
from __future__ import annotations

import os
import sys

from nnvis.core.files import not_a_regular_file


def no_display(environ=os.environ, platform: str = sys.platform) -> str | None:
    """Qt's own message without a display names a missing xcb library, which misleads."""
    if platform in ("win32", "darwin") or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to show the window on (DISPLAY and WAYLAND_DISPLAY are not set): "
            "train without a window with `nnvis train`, or set QT_QPA_PLATFORM=offscreen "
            "to run the app with a window no one sees")


def problem(args, environ=os.environ, platform: str = sys.platform) -> str | None:
    """The first reason not to start the app with ``args``, or None."""
    reason = no_display(environ, platform)
    if reason is None and getattr(args, "load", None):
        reason = not_a_regular_file(args.load)   # opening a FIFO would block forever
    if (reason is None and getattr(args, "listen", None)
            and not getattr(args, "allow_remote", False)):
        from nnvis.protocol.link import not_loopback
        why = not_loopback(args.listen)
        if why:   # the token is the only protection and the traffic is not encrypted
            reason = f"{why}; add --allow-remote to listen there anyway"
    return reason
