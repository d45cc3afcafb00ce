"""Configs that cannot fit in memory are refused before anything is built, in one line naming
the estimate and the limit; a MemoryError that still happens is one line too.

The headroom comes from injectable sources: these tests set a small limit instead of
allocating gigabytes. The real-process tests run ``nnvis train`` under ``ulimit -v``.
"""
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import Recorder, small_config
from nnvis.cli import main
from nnvis.core import ConfigError, Trainer, commands, memory
from nnvis.core.memory import (MemoryLimitError, address_space_room, available_memory,
                               cgroup_room, headroom)
from nnvis.core.session import Session

GiB = 2**30
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def limit(monkeypatch):
    """Set this process's headroom to ``n`` bytes, as a machine with that much free would."""
    def set_limit(n):
        monkeypatch.setattr(memory, "SOURCES", (lambda: ("in this test", n),))
    return set_limit


def refused(config, field):
    with pytest.raises(MemoryLimitError) as info:
        Trainer(config)
    err = info.value
    text = str(err)
    assert isinstance(err, ConfigError) and err.path == field, text
    assert len(text.splitlines()) == 1 and "needs about" in text and "free in this test" in text
    return text


# ---------------------------------------------------------------- the headroom sources

def test_available_memory_reads_memavailable(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24000000 kB\nMemFree:  100 kB\n"
                       "MemAvailable:   2000000 kB\n")
    assert available_memory(meminfo) == ("on this machine (MemAvailable)", 2_048_000_000)
    assert available_memory(tmp_path / "missing") is None


def cgroup_files(base, **files):
    base.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (base / name.replace("_", ".", 1)).write_text(text)


def test_cgroup_v2_room_is_the_least_left_at_any_level(tmp_path):
    root = tmp_path / "cgroup"
    cgroup_files(root, cgroup_controllers="memory\n")
    cgroup_files(root / "user", memory_max=f"{4 * GiB}\n", memory_current=f"{3 * GiB}\n")
    cgroup_files(root / "user" / "app", memory_max="max\n", memory_current=f"{GiB}\n")
    proc = tmp_path / "self-cgroup"
    proc.write_text("0::/user/app\n")
    assert cgroup_room(proc, root) == ("under the cgroup's memory limit", GiB)


def test_cgroup_v1_in_a_namespace_reads_the_mount_and_ignores_no_limit(tmp_path):
    root = tmp_path / "cgroup"
    memory_dir = root / "memory"
    cgroup_files(memory_dir, **{"memory_limit_in_bytes": f"{2 * GiB}\n",
                                "memory_usage_in_bytes": f"{GiB // 2}\n"})
    proc = tmp_path / "self-cgroup"
    # The path given is the host's; inside the namespace the mount is the process's group.
    proc.write_text("4:memory:/process_api/3cc4d42e\n1:cpu:/\n")
    assert cgroup_room(proc, root)[1] == GiB + GiB // 2
    (memory_dir / "memory.limit_in_bytes").write_text("9223372036854771712\n")
    assert cgroup_room(proc, root) is None


def test_address_space_room_is_the_limit_minus_what_is_mapped(tmp_path):
    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmPeak:\t  900000 kB\nVmSize:\t  500000 kB\n")
    assert address_space_room(status, limit=1_000_000 * 1024) == (
        "under the address-space limit (ulimit -v)", 500_000 * 1024)
    assert address_space_room(status, limit=resource.RLIM_INFINITY) is None


def test_the_headroom_is_the_smallest_source():
    sources = (lambda: ("a", 5 * GiB), lambda: None, lambda: ("b", 2 * GiB))
    assert headroom(sources) == ("b", 2 * GiB)
    assert headroom(()) is None
    assert headroom()[1] > 0   # this machine's own sources answer


# ---------------------------------------------------------------- refusing before building

def test_32_layers_of_4096_are_refused_on_a_machine_with_8_gib_free(limit):
    limit(8 * GiB)
    text = refused({"model": {"hidden": [4096] * 32}}, "model.hidden")
    assert "520,372,226 parameters" in text and "8.0 GiB free" in text


def test_200000_samples_through_four_layers_of_4096_are_refused(limit):
    limit(16 * GiB)
    text = refused({"data": {"n_samples": 200_000}, "model": {"hidden": [4096] * 4}},
                   "data.n_samples")
    assert "evaluating all 200,000 samples at once" in text


@pytest.fixture(scope="module")
def row_id_csv(tmp_path_factory):
    """200,000 rows whose label column is the row number: 200,000 "classes"."""
    path = tmp_path_factory.mktemp("rowid") / "rows.csv"
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200_000, 2)).round(3)
    lines = ["id,x1,x2"] + [f"{i},{a},{b}" for i, (a, b) in enumerate(x.tolist())]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_csv_whose_label_is_a_row_id_is_refused_naming_the_label_column(limit, row_id_csv):
    # Read as classes (data.task), a row-id column asks for one output per row.
    limit(16 * GiB)
    text = refused({"data": {"path": str(row_id_csv), "label_column": "id",
                             "task": "classification"}},
                   "data.label_column")
    assert "with 200,000 outputs each" in text


def test_what_fits_is_built_and_trains(limit):
    limit(256 * 2**20)
    t = Trainer(small_config())
    t.step(3)
    assert np.isfinite(t.evaluate()["train_loss"])


def test_the_estimate_grows_with_what_the_config_asks(limit):
    limit(10**15)   # no refusal: compare the estimates
    from nnvis.core.data import load_dataset
    from nnvis.core.config import Config

    def total(**changes):
        cfg = Config(small_config(**changes))
        return memory.footprint(cfg, load_dataset(cfg.get("data"), 1, cfg.get("dtype"))).total

    base = total()
    for bigger in ({"model__hidden": [60, 60]}, {"dtype": "float64"},
                   {"data__n_samples": 5000},
                   {"model__activation": "maxout"}, {"model__batch_norm": True}):
        assert total(**bigger) > base, bigger
    assert total(optim__name="sgd") < base   # no Adam slots


def test_a_live_change_that_would_not_fit_is_refused_and_the_trainer_kept(limit):
    limit(10**15)
    t = Trainer(small_config(data__n_samples=20_000, model__hidden=[512, 512],
                             optim__name="sgd"))
    # What this trainer holds is already allocated: only its passes must still fit.
    limit(memory.footprint(t.config, t.data).passes + 2**20)
    t.apply_changes({"optim.lr": 0.01})
    with pytest.raises(MemoryLimitError) as info:
        t.apply_changes({"optim.batch_size": 16_000})
    assert info.value.path == "optim.batch_size"
    assert t.config.get("optim.batch_size") == 16


# ---------------------------------------------------------------- the CLI and the app

def test_the_cli_refuses_in_one_error_line(limit, capsys):
    limit(4 * GiB)
    assert main(["train", "--set", "model.hidden=[4096,4096,4096,4096,4096,4096,4096,4096,"
                 "4096,4096]", "--steps", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: model.hidden: this experiment needs "
                                               "about"), err


def test_a_reset_that_does_not_fit_is_an_inline_rejection_and_the_old_run_goes_on(limit):
    limit(10**15)
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Step(5))
    old = s.trainer
    limit(512 * 2**20)
    rec.messages.clear()
    s.handle(commands.Reset(small_config(model__hidden=[4096] * 8)))
    assert [k for k, _ in rec.messages] == ["error"]
    assert rec.messages[0][1].startswith("model.hidden: this experiment needs about")
    assert s.trainer is old and s.trainer.step_count == 5


def test_a_comparison_counts_both_networks(limit):
    limit(10**15)
    cfg = small_config(data__n_samples=40_000, model__hidden=[256, 256])
    rec = Recorder()
    s = Session(rec, cfg)
    from nnvis.core.config import Config
    one = memory.footprint(Config(cfg), s.trainer.data)
    limit(one.total + one.held // 2)   # one more fits; two do not
    rec.messages.clear()
    s.handle(commands.Compare({"model.activation": "relu"}))
    errors = [p for k, p in rec.messages if k == "error"]
    assert errors and errors[0].startswith("data.n_samples: comparing two networks needs"), \
        rec.messages
    assert not any(k == "snapshot" and "compare" in p for k, p in rec.messages)
    s.handle(commands.Reset(cfg))   # alone, it still fits
    assert rec.messages[-1][0] == "snapshot"


def test_a_memory_error_while_training_is_one_error_message(monkeypatch):
    rec = Recorder()
    s = Session(rec, small_config())

    def no_memory(self, n=1):
        raise MemoryError("Unable to allocate 3.00 GiB for an array with shape (20000, 40000) "
                          "and data type float32")

    monkeypatch.setattr(Trainer, "step", no_memory)
    s.handle(commands.Play())
    rec.messages.clear()
    s.tick()
    assert rec.messages[:2] == [
        ("error", "out of memory: Unable to allocate 3.00 GiB for an array with shape "
                  "(20000, 40000) and data type float32"),
        ("state", {"running": False})]
    rec.messages.clear()
    s.handle(commands.Step(3))
    assert [k for k, _ in rec.messages] == ["error", "state"]


# ---------------------------------------------------------------- real processes, ulimit -v

def run_limited(code: str, *args, limit_bytes=GiB):
    """A Python process under RLIMIT_AS = ``limit_bytes``: ``code`` then ``args``."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, resource.RLIM_INFINITY))

    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT,
                          preexec_fn=cap, capture_output=True, text=True, timeout=120)


CLI = "import sys; from nnvis.cli import main; raise SystemExit(main(sys.argv[1:]))"
TOO_BIG = ["train", "--set", "model.hidden=[4096,4096,4096]", "--steps", "3"]


def test_nnvis_train_under_ulimit_v_refuses_what_does_not_fit():
    proc = run_limited(CLI, *TOO_BIG)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: model.hidden: this experiment needs "
                                               "about"), proc.stderr
    assert "under the address-space limit (ulimit -v)" in err[0]
    small = run_limited(CLI, "train", "--set", "model.hidden=[64,64]", "--steps", "20")
    assert small.returncode == 0 and small.stderr == "", small.stderr


def test_a_memory_error_the_estimate_missed_is_one_error_line():
    # The estimate switched off: the allocation itself fails, as when the estimate is short.
    unchecked = "from nnvis.core import memory; memory.SOURCES = (); " + CLI
    proc = run_limited(unchecked, *TOO_BIG)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: out of memory: Unable to allocate"), \
        proc.stderr


def test_a_saved_experiment_too_big_for_this_machine_is_refused_naming_the_need(limit,
                                                                                tmp_path):
    from nnvis.core.persistence import ExperimentFileError, load_experiment, save_experiment

    limit(10**15)
    path = tmp_path / "wide.nnvis"
    save_experiment(path, Trainer(small_config(model__hidden=[1024, 1024])))
    limit(16 * 2**20)   # opened on a smaller machine
    with pytest.raises(ExperimentFileError) as info:
        load_experiment(path)
    text = str(info.value)
    assert text.startswith("file: this experiment needs about") and "16.0 MiB free" in text
    assert text.endswith("(model.hidden)")   # the field to change
