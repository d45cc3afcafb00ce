"""A real nnvis app in a process of its own (offscreen), as a user's would run: started,
signalled, stopped and killed by the tests that check what survives."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from nnvis.core.persistence import ExperimentFileError, saved_step

START_SECONDS = 60


class AppProcess:
    """``nnvis ARGS`` with this test's settings scope and folders (``env`` adds to them)."""

    def __init__(self, args=(), scope: str = "", data_home=None, config_home=None, env=None):
        self.scope = scope or os.environ["NNVIS_SETTINGS_SCOPE"]
        self.data_home = Path(data_home or os.environ["XDG_DATA_HOME"])
        environment = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                           NNVIS_SETTINGS_SCOPE=self.scope, XDG_DATA_HOME=str(self.data_home),
                           XDG_CONFIG_HOME=str(config_home or os.environ["XDG_CONFIG_HOME"]),
                           **(env or {}))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nnvis", "--lang", "en", *map(str, args)], env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)   # its own process group, as in a terminal
        self._out = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for chunk in iter(lambda: self.proc.stdout.read1(65536), b""):
            self._out += chunk

    @property
    def output(self) -> str:
        return self._out.decode(errors="replace")

    @property
    def folder(self) -> Path:
        return self.data_home / "nnvis" / "autosave" / self.scope

    def own_autosave(self) -> Path:
        """This app's autosave (its slot has its process id in the name)."""
        return next(iter(self.folder.glob(f"*-{self.proc.pid}-*.nnvis")), None)

    def wait_for(self, condition, what: str, seconds: float = START_SECONDS):
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.proc.poll() is None, f"the app exited while waiting for {what}:\n" \
                                             f"{self.output}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{self.output}"
            time.sleep(0.1)

    def wait_until_up(self):
        """Its window and autosave slot exist."""
        self.wait_for(lambda: any(self.folder.glob(f"*-{self.proc.pid}-*.lock")), "the app")

    def wait_for_autosave(self, step: int) -> Path:
        def holds():
            path = self.own_autosave()
            try:
                return path is not None and saved_step(path) == step
            except ExperimentFileError:
                return False
        self.wait_for(holds, f"its autosave of step {step}")
        return self.own_autosave()

    def trainer_pid(self) -> int:
        """The trainer process it started (a spawned child; not multiprocessing's resource
        tracker)."""
        def trainers():
            found = []
            for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
                for pid in (task / "children").read_text().split():
                    try:
                        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                    except OSError:
                        continue
                    if b"spawn_main" in cmd:
                        found.append(int(pid))
            return found
        self.wait_for(lambda: bool(trainers()), "the trainer process")
        return trainers()[0]

    def wait_for_trainer_ready(self) -> int:
        """The trainer's pid once it runs nnvis's code: it then ignores SIGINT (Ctrl+C is
        the app's to handle), as /proc shows."""
        pid = self.trainer_pid()

        def ignores_sigint():
            status = Path(f"/proc/{pid}/status").read_text()
            mask = int(next(line for line in status.splitlines()
                            if line.startswith("SigIgn:")).split()[1], 16)
            return bool(mask & (1 << (signal.SIGINT - 1)))
        self.wait_for(ignores_sigint, "the trainer to start")
        return pid

    def signal(self, signum=signal.SIGTERM):
        self.proc.send_signal(signum)

    def wait(self, seconds: float = 60) -> int:
        try:
            code = self.proc.wait(timeout=seconds)
        finally:
            self.kill()
        self._reader.join(5)
        return code

    def kill(self):
        """SIGKILL to the app and its trainer (a crash, or the end of a test)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
