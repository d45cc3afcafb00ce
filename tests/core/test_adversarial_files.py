"""Adversarial files: configs, saved experiments and CSV files, mutated as text and as bytes.

Thousands of seeded cases (the same every run). Each file is either accepted and works —
a config trains a step or two, a loaded experiment evaluates to finite numbers and trains
on — or refused in one line: the core API raises a ConfigError (InputError, DataError,
ExperimentFileError) whose message is one line; the CLI, run in-process through ``main``,
exits 2 with exactly one ``error:`` line on stderr. Never another exception, never a hang.
A few cases run ``nnvis`` in a real process too.
"""
import contextlib
import io
import json
import math
import os
import random
import signal
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from helpers import small_config
from nnvis.cli import main
from nnvis.core import Config, ConfigError, Trainer, memory
from nnvis.core.persistence import load_experiment, save_experiment

ROOT = Path(__file__).resolve().parents[2]
CASE_SECONDS = 10     # far above any case's time: only a hang reaches it
CLI_EVERY = 5         # every 5th case also goes through the CLI
HEADROOM = 256 * 2**20

#: Raw JSON text put in place of a value: numbers past float and past Python's digit limit,
#: NaN literals, every JSON type, line breaks, deep nesting and long strings.
FRAGMENTS = [
    "0", "-1", "1", "2", "3.5", "1e308", "-1e308", "1e-320", "NaN", "Infinity", "-Infinity",
    "9" * 30, "9" * 401, "-" + "9" * 401, "9" * 5000, str(2**62 + 1), str(2**63),
    "true", "false", "null", '""', '"text"', '"relu"', '"maxout"', '"float64"', '"16"',
    '"a\\nb"', '"\\u2028"', '"\\ud800"', "[]", "{}", "[1, 2]", "[4096, 4096]", "[0]",
    '{"a": 1}', "[" * 50 + "]" * 50, "[" * 5000 + "]" * 5000,
    "[" * 100_000 + "]" * 100_000, '"' + "x" * 100_000 + '"',
]
KEYS = ["", "x", "optim.lr", "a\nb", "\u2028", "k" * 1000, "version", "seed"]
PLACEHOLDER = "\x00value\x00"


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds=CASE_SECONDS):
    def alarm(*_):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(autouse=True)
def small_machine(monkeypatch):
    """A small headroom: mutated sizes are refused by the memory check instead of being
    allocated, which exercises that refusal too."""
    monkeypatch.setattr(memory, "SOURCES", (lambda: ("in this test", HEADROOM),))


# ---------------------------------------------------------------- mutations

def paths(tree, prefix=()):
    """Every position in a JSON tree: (keys/indices...)."""
    items = tree.items() if isinstance(tree, dict) else \
        enumerate(tree) if isinstance(tree, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from paths(value, prefix + (key,))


def _with(tree, path, value):
    tree = json.loads(json.dumps(tree))
    if not path:
        return value
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return tree


def mutate_tree(tree, rng: random.Random) -> str:
    """JSON text of ``tree`` with one change: a value replaced by raw text, a key added,
    duplicated or removed."""
    spots = list(paths(tree))
    kind = rng.choice(["value", "value", "value", "add", "duplicate", "remove"])
    fragment = rng.choice(FRAGMENTS)
    dicts = [()] + [p for p in spots if isinstance(_get(tree, p), dict)]
    if kind == "value" or not spots:
        path = rng.choice(spots + [()])
        return json.dumps(_with(tree, path, PLACEHOLDER)).replace(json.dumps(PLACEHOLDER),
                                                                  fragment)
    if kind == "remove":
        path = rng.choice(spots)
        copy = json.loads(json.dumps(tree))
        del _get(copy, path[:-1])[path[-1]]
        return json.dumps(copy)
    where = rng.choice(dicts)
    node = dict(_get(tree, where))
    existing = list(node)
    key = rng.choice(existing) if kind == "duplicate" and existing else rng.choice(KEYS)
    node = {PLACEHOLDER: PLACEHOLDER, **node}   # written first: the later key wins in JSON
    text = json.dumps(_with(tree, where, node))
    return text.replace(json.dumps(PLACEHOLDER) + ": " + json.dumps(PLACEHOLDER),
                        json.dumps(key) + ": " + fragment, 1)


def _get(tree, path):
    for key in path:
        tree = tree[key]
    return tree


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Flip a few bytes, cut the end off, or both."""
    data = bytearray(data)
    kind = rng.choice(["flip", "flip", "cut", "both"])
    if kind != "cut":
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    if kind != "flip":
        data = data[:rng.randrange(len(data) + 1)]
    return bytes(data)


def mutate_text(text: str, rng: random.Random) -> bytes:
    """Text-level changes every file kind gets: a BOM, line breaks, bytes flipped or cut."""
    kind = rng.choice(["bom", "crlf", "bytes", "bytes", "none"])
    if kind == "bom":
        return "\ufeff".encode() + text.encode()
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode()
    if kind == "bytes":
        return mutate_bytes(text.encode(), rng)
    return text.encode()


# ---------------------------------------------------------------- what must hold

def one_line_refusal(exc: ConfigError, case: str):
    text = str(exc)
    assert text and len(text.splitlines()) == 1, f"{case}: {text!r}"
    assert "Traceback" not in text, case


def train_works(trainer, case: str):
    trainer.step(2)
    if trainer.divergence is None:
        assert math.isfinite(trainer.last_loss), case
    else:
        assert all(np.isfinite(p).all() for p in trainer.parameters().values()), case


def run_core(action, case: str) -> bool:
    """True if accepted; a refusal must be one ConfigError line; anything else fails."""
    try:
        with time_limit(), np.errstate(all="ignore"):
            action()
    except ConfigError as exc:
        one_line_refusal(exc, case)
        return False
    except Exception as exc:
        raise AssertionError(f"{case}: {type(exc).__name__}: {str(exc)[:300]}") from exc
    return True


def run_cli(argv, case: str) -> int:
    out, err = io.StringIO(), io.StringIO()
    with time_limit(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")   # each would be lines on a user's stderr
        try:
            code = main(argv)
        except SystemExit as exc:   # argparse's own errors
            code = exc.code
    assert not warned, f"{case}: {[str(w.message) for w in warned]}"
    lines = err.getvalue().splitlines()
    assert "Traceback" not in err.getvalue(), f"{case}: {err.getvalue()[-2000:]}"
    if code == 2:
        assert len(lines) == 1 and lines[0].startswith("error: "), f"{case}: {lines[:5]}"
    elif code == 1:  # trained, and diverged: said once
        assert len(lines) == 1 and lines[0].startswith("diverged: "), f"{case}: {lines[:5]}"
    else:
        assert code == 0 and lines == [], f"{case}: exit {code}, {lines[:5]}"
    return code


def counts(results) -> dict:
    return {"accepted": sum(results), "refused": len(results) - sum(results)}


# ---------------------------------------------------------------- configs

CONFIGS = [
    small_config(),
    small_config(data__name="sine", model__loss="mse", optim__name="momentum"),
    small_config(data__name="spiral", data__classes=3, model__activation="maxout",
                 model__batch_norm=True, model__dropout=0.3, model__residual=True),
    small_config(model__hidden=[], optim__name="rmsprop", model__loss="hinge",
                 dtype="float64"),
]


def test_mutated_config_files_train_or_are_refused_in_one_line(tmp_path):
    rng = random.Random(1601)
    results = []
    for i in range(3000):
        text = mutate_tree(rng.choice(CONFIGS), rng)
        data = mutate_text(text, rng) if rng.random() < 0.4 else text.encode()
        path = tmp_path / f"c{i % 7}.json"
        path.write_bytes(data)
        case = f"config case {i}: {data[:200]!r}"
        results.append(run_core(lambda: train_works(Trainer(Config.from_file(path)), case),
                                case))
        if i % CLI_EVERY == 0:
            run_cli(["train", "--config", str(path), "--steps", "2"], case)
    assert 0.05 < sum(results) / len(results) < 0.95, counts(results)   # both kinds occur


# ---------------------------------------------------------------- saved experiments

@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    """A saved run with every kind of array: Adam slots, batch norm, dropout, RReLU."""
    t = Trainer(small_config(model__activation="rrelu", model__dropout=0.2,
                             model__batch_norm=True))
    t.step(25)
    path = tmp_path_factory.mktemp("adversarial") / "good.nnvis"
    save_experiment(path, t)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    return path.read_bytes(), json.loads(members.pop("manifest.json")), members


def npy_bytes(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def replacement(members: dict, name: str, rng: random.Random, np_rng) -> bytes:
    """Something else for the archive member ``name``: junk, another member, or an array of
    its shape holding NaN, infinities, negatives or plain noise, or of another dtype."""
    kind = rng.choice(["junk", "other", "noise", "noise", "nan", "inf", "negative", "dtype",
                       "shape", "cut"])
    if kind == "junk":
        return bytes(np_rng.integers(0, 256, rng.randrange(200), dtype=np.uint8))
    if kind == "other":
        return members[rng.choice(sorted(members))]
    if kind == "cut":
        return members[name][:rng.randrange(len(members[name]) + 1)]
    arr = np.load(io.BytesIO(members[name]))
    if kind == "dtype":
        return npy_bytes(arr.astype(np.float64 if arr.dtype != np.float64 else np.float32))
    if kind == "shape":
        return npy_bytes(np.zeros(arr.size + 1, arr.dtype))
    noise = np_rng.normal(0, 1.5, arr.shape)
    if arr.size and kind != "noise":
        noise.flat[rng.randrange(arr.size)] = {"nan": np.nan, "inf": -np.inf,
                                               "negative": -1.0}[kind]
    if kind == "negative":
        noise = np.abs(noise) * (noise.flat[0] if noise.size else 1)
    with np.errstate(invalid="ignore"):   # NaN into an integer array: garbage, as meant
        return npy_bytes(noise.astype(arr.dtype))


def zip_bytes(manifest_text: str | bytes, members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_text)
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def mutated_experiment(experiment, rng: random.Random, np_rng) -> bytes:
    whole, manifest, members = experiment
    kind = rng.choice(["bytes", "member", "member", "manifest", "manifest", "manifest_text"])
    if kind == "bytes":
        return mutate_bytes(whole, rng)
    if kind == "member":
        name = rng.choice(sorted(members))
        return zip_bytes(json.dumps(manifest), {**members, name: replacement(
            members, name, rng, np_rng)})
    if kind == "manifest":
        return zip_bytes(mutate_tree(manifest, rng), members)
    return zip_bytes(mutate_text(json.dumps(manifest), rng), members)


def loads_and_works(path, case: str):
    trainer = load_experiment(path)
    assert math.isfinite(trainer.evaluate()["train_loss"]), case
    train_works(trainer, case)


def test_mutated_experiment_files_load_and_work_or_are_refused_in_one_line(tmp_path,
                                                                           experiment):
    rng, np_rng = random.Random(1602), np.random.default_rng(1602)
    results = []
    for i in range(700):
        data = mutated_experiment(experiment, rng, np_rng)
        path = tmp_path / f"e{i % 7}.nnvis"
        path.write_bytes(data)
        case = f"experiment case {i}"
        results.append(run_core(lambda: loads_and_works(path, case), case))
        if i % CLI_EVERY == 0:
            run_cli(["train", "--load", str(path), "--steps", "2"], case)
    assert 0.05 < sum(results) / len(results) < 0.95, counts(results)


# ---------------------------------------------------------------- CSV files

CELLS = ["", "nan", "inf", "-inf", "1e400", "1e300", "-1e300", "1e-400", "abc", '"', '"1,2"',
         " 3 ", "0x10", "1_000", "\u0663", "\x00", "yes", "no", "maybe", "7", "x" * 200_000]


def csv_text(rng: random.Random, np_rng) -> str:
    """A small CSV file (two features, a yes/no or numeric label) with a few changes."""
    n = rng.choice([8, 12, 40])
    X = np_rng.normal(size=(n, 2)).round(3)
    numeric = rng.random() < 0.3
    labels = [str(i % 3) if numeric else ("yes" if a * b > 0 else "no")
              for i, (a, b) in enumerate(X)]
    rows = [["x1", "x2", "label"]] + [[str(a), str(b), y] for (a, b), y in zip(X, labels)]
    for _ in range(rng.randint(0, 3)):
        row = rng.choice(rows)
        kind = rng.choice(["cell", "cell", "drop", "extra", "blank"])
        if kind == "cell" and row:
            row[rng.randrange(len(row))] = rng.choice(CELLS)
        elif kind == "drop" and row:
            row.pop()
        elif kind == "extra":
            row.append(rng.choice(CELLS))
        else:
            rows.insert(rng.randrange(len(rows) + 1), [])
    return "\n".join(",".join(r) for r in rows) + "\n"


def test_mutated_csv_files_train_or_are_refused_in_one_line(tmp_path):
    rng, np_rng = random.Random(1603), np.random.default_rng(1603)
    results = []
    for i in range(1500):
        data = mutate_text(csv_text(rng, np_rng), rng)
        path = tmp_path / f"d{i % 7}.csv"
        path.write_bytes(data)
        cfg = small_config(data__path=str(path), data__label_column="label",
                           optim__batch_size=4)
        case = f"csv case {i}: {data[:300]!r}"
        results.append(run_core(lambda: train_works(Trainer(cfg), case), case))
        if i % CLI_EVERY == 0:
            run_cli(["train", "--set", f"data.path={path}", "--set", "data.label_column=label",
                     "--steps", "2"], case)
    assert 0.05 < sum(results) / len(results) < 0.95, counts(results)


# ---------------------------------------------------------------- real processes

def test_a_real_nnvis_process_refuses_hostile_files_in_one_line(tmp_path, experiment):
    deep = tmp_path / "deep.json"
    deep.write_text('{"seed": ' + "[" * 100_000 + "]" * 100_000 + "}")
    digits = tmp_path / "digits.nnvis"
    _, manifest, members = experiment
    digits.write_bytes(zip_bytes(json.dumps(_with(manifest, ("state", "step"), PLACEHOLDER))
                                 .replace(json.dumps(PLACEHOLDER), "9" * 5000), members))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
    for args, fragment in ((["--config", str(deep)], "nested too deeply"),
                           (["--load", str(digits)], "too many digits"),
                           (["--set", f"data.path={binary}", "--set", "data.label_column=y"],
                            "binary.csv")):
        proc = subprocess.run([sys.executable, "-m", "nnvis", "train", *args, "--steps", "2"],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
        lines = proc.stderr.splitlines()
        assert proc.returncode == 2 and len(lines) == 1, proc.stderr
        assert lines[0].startswith("error: ") and fragment in lines[0], lines
