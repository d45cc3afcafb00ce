"""Clients of a listening app, for tests: a watched script speaking the protocol in a
thread (as ``nnvis.watch`` would, without torch), with snapshots from the NumPy trainer."""
from helpers import small_config
from recordings import RUN, watched_payload

from nnvis.core import Config, Trainer
from nnvis.protocol import link
from nnvis.protocol.wire import read_message


def trained_payloads(snapshots: int = 3, every: int = 5) -> list:
    """The "snapshot" messages of a short run: steps every, 2·every, ..."""
    trainer = Trainer(Config.from_dict(small_config()))
    payloads = []
    for _ in range(snapshots):
        last = trainer.step_count
        trainer.step(every)
        payloads.append(watched_payload(trainer, last))
    return payloads


def script(address, token, payloads, result, hold=None):
    """A watched script in a thread: handshake, run, snapshots; records what it heard
    (``hold``: wait for the app's pause and a heartbeat, then until it is set)."""
    try:
        sock = link.connect(address, token)
    except link.LinkError as exc:
        result["refused"] = str(exc)
        return
    with sock:
        link.send(sock, "run", RUN)
        for p in payloads:
            link.send(sock, "snapshot", p)
        if hold is not None:
            sock.settimeout(5)
            read = link.reader(sock)
            heard = []
            while len(heard) < 3:
                msg = read_message(read)
                if msg is None:
                    break
                heard.append(msg[0])
                if msg[0] == "heartbeat":
                    break
            result["heard"] = heard
            hold.wait(5)
        result["done"] = True
