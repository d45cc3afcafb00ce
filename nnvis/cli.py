"""Command line: ``nnvis`` starts the app; ``nnvis train|predict|export|gradcheck|backprop|bench``
run headless.

Exit codes: 0 ok, 2 bad input (one ``error:`` line on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one ``error:`` line (exit 2) like any other bad
    input, instead of the usage text followed by ``prog: error:``."""

    def error(self, message):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def _config_from_args(args):
    from nnvis.core import Config, parse_assignment

    if getattr(args, "config", None):
        cfg = Config.from_file(args.config)
    elif getattr(args, "preset", None):
        from nnvis.lessons import preset_config
        cfg = Config.from_dict(preset_config(args.preset))
    else:
        cfg = Config()
    changes = dict(parse_assignment(s) for s in (getattr(args, "set", None) or []))
    return cfg.with_changes(changes) if changes else cfg


def _finite_or_none(v):
    return v if isinstance(v, float) and math.isfinite(v) else (None if isinstance(v, float) else v)


def _fmt(v, spec: str) -> str:
    """A metric for the progress line: JSON's null (non-finite) reads as "n/a"."""
    return "n/a" if v is None else format(v, spec)


def _progress_line(rec: dict, test: bool = True, val: bool = False) -> str:
    """``step 300  loss train 0.0123 test 0.0150  acc train 1.000 test 0.990``; without a
    test set (``test`` False) no test columns; with a validation set (``val``) a val
    column after each test one. Regression: ``r2`` and ``mae`` (target units) instead of
    ``acc``."""
    splits = ["train"] + ["test"] * test + ["val"] * val

    def columns(metric: str, spec: str, width: int = 0) -> str:
        return " ".join(f"{split} {_fmt(rec.get(f'{split}_{metric}'), spec):<{width}}"
                        for split in splits)

    line = f"step {rec['step']:>7}  loss {columns('loss', '.4g', 9)} "
    if rec.get("train_acc") is not None or rec.get("test_acc") is not None:  # not regression
        line += f"acc {columns('acc', '.3f')}"
    elif rec.get("train_r2") is not None or rec.get("train_mae") is not None:
        line += f" r2 {columns('r2', '.3f')}  mae {columns('mae', '.4g')}"
    return line.rstrip()


def _legend(trainer) -> str:
    """What the outputs mean: ``classes: 0 setosa, 1 versicolor, ...`` or the target's
    column and units (its training mean and spread)."""
    data = trainer.data
    if trainer.classification:
        return "classes: " + ", ".join(f"{i} {name}" for i, name in
                                       enumerate(data.class_names))
    column = trainer.config.get("data.label_column") or "the target"
    return (f"target: {column} (training mean {data.y_mean[0]:.4g}, std {data.y_std[0]:.4g}; "
            f"loss on the standardised target, r2 and mae in its units)"
            if data.y_std[0] != 1 or data.y_mean[0] else f"target: {column}")


def _per_class_lines(trainer) -> list[str]:
    """The test split's accuracy per class, by name (the training split's without a test
    set)."""
    import numpy as np

    split = "test" if len(trainer.X_test) else "train"
    X, y = getattr(trainer, f"X_{split}"), getattr(trainer.data, f"y_{split}")
    names = np.asarray([str(c) for c in trainer.data.class_names])
    with np.errstate(all="ignore"):
        predicted = trainer.predict(trainer.data.inverse_transform(X))
    lines = []
    for k, name in enumerate(names):
        rows = y == k
        if rows.any():
            acc = float(np.mean(predicted[rows] == name))
            lines.append(f"{split} accuracy of class {name}: {acc:.3f} ({int(rows.sum())} "
                         f"samples)")
    return lines


def _load_for_training(args):
    """The trainer of ``--load FILE``, with ``--set`` overrides applied live.

    Only live fields may change: anything else would rebuild the network from scratch and
    silently throw away the weights that were just loaded.
    """
    from nnvis.core import LIVE_FIELDS, parse_assignment
    from nnvis.core.persistence import load_experiment

    if args.config or args.preset:
        raise UsageError("--load continues a saved experiment with its own config: it cannot "
                         "be combined with --config or --preset (use --set for live fields)")
    trainer = load_experiment(args.load)
    changes = dict(parse_assignment(s) for s in args.set or [])
    structural = sorted(set(changes) - LIVE_FIELDS)
    if structural:
        raise UsageError(f"{structural[0]} cannot be changed when continuing a saved "
                         f"experiment (it would start from fresh weights); live fields are: "
                         f"{', '.join(sorted(LIVE_FIELDS))}")
    return trainer.apply_changes(changes) if changes else trainer


def _metrics_record(trainer) -> dict:
    import numpy as np

    from nnvis.core import layer_stats

    with np.errstate(all="ignore"):  # a diverged run may overflow: it is reported, not warned
        ev = trainer.evaluate()
        stats = layer_stats(trainer)
    rec = {"step": trainer.step_count, "epoch": trainer.epoch}
    rec.update({k: _finite_or_none(v) for k, v in ev.items()})
    rec["best_step"] = trainer.early_stopping_state(copy=False)["best_step"]
    rec["layers"] = [{k: _finite_or_none(v) for k, v in s.items()} for s in stats]
    return rec


def cmd_train(args) -> int:
    from nnvis.core import Trainer
    from nnvis.export_csv import metric_row, write_metrics

    if args.steps < 0:
        raise UsageError("--steps must be >= 0")
    if args.log_every < 0:
        raise UsageError("--log-every must be >= 0")
    metrics_csv = bool(args.metrics) and args.metrics.lower().endswith(".csv")
    trainer = _load_for_training(args) if args.load else Trainer(_config_from_args(args))
    start = trainer.step_count
    # JSON lines are written as they come; a CSV, whose columns are every metric any row
    # has, once at the end (a layer added mid-run gets its columns).
    out = open(args.metrics, "w", encoding="utf-8") if args.metrics and not metrics_csv else None
    rows = []
    log_every = args.log_every or max(1, args.steps // 20)
    cfg = trainer.config
    hidden = cfg.get("model.hidden")
    # Without hidden layers there is no activation: saying "relu" there would mislead.
    model = (f"hidden {hidden}, {cfg.get('model.activation')}" if hidden
             else "no hidden layer (a linear model)")
    print(f"nnvis train: {trainer.data.name}, {model}, {cfg.get('optim.name')} "
          f"lr={cfg.get('optim.lr')}, {trainer.parameter_count()} parameters, {args.steps} "
          f"steps" + (f" from step {start}" if start else ""), flush=True)
    for note in trainer.notes:
        print(f"note: {note}", flush=True)
    named = cfg.get("data.path") is not None   # a built-in set's classes are just numbers
    if named:
        print(_legend(trainer), flush=True)
    has_test, has_val = len(trainer.X_test) > 0, len(trainer.X_val) > 0
    t0 = time.perf_counter()
    try:
        def log():
            rec = _metrics_record(trainer)
            if out:
                out.write(json.dumps(rec) + "\n")
            if metrics_csv:
                rows.append(metric_row(rec))
            print(_progress_line(rec, has_test, has_val), flush=True)

        if args.steps == 0:
            log()
        done = 0
        while done < args.steps:
            n = min(log_every, args.steps - done)
            trainer.step(n)
            done += n
            log()
            if trainer.divergence is not None:
                print("diverged: " + trainer.divergence["message"], file=sys.stderr)
                break
            if trainer.early_stop is not None:
                print(trainer.early_stop["message"], flush=True)
                break
    finally:
        if out:
            out.close()
        if metrics_csv:
            write_metrics(args.metrics, rows)
    dt = time.perf_counter() - t0
    ran = trainer.step_count - start
    if args.steps:
        print(f"{ran} steps in {dt:.2f} s ({ran / max(dt, 1e-9):.0f} steps/s)")
    if named and trainer.classification and trainer.divergence is None:
        for line in _per_class_lines(trainer):
            print(line)
    if args.save:
        from nnvis.core.persistence import save_experiment
        save_experiment(args.save, trainer)
        print(f"saved {args.save}")
    return 0 if trainer.divergence is None else 1


def cmd_export(args) -> int:
    """Write a saved experiment's network as PyTorch code (``.py`` and its weights) or ONNX."""
    from nnvis.core.persistence import load_experiment
    from nnvis.model_export import SUFFIXES, export_model, onnx_available

    if not args.to.endswith(SUFFIXES):
        raise UsageError(f"--to {args.to}: export to a .py (PyTorch) or .onnx file")
    if args.to.endswith(".onnx") and not onnx_available():
        raise UsageError("ONNX export needs the onnx package: pip install 'nnvis[onnx]'")
    trainer = load_experiment(args.experiment)
    written = export_model(trainer, args.to)
    print(f"nnvis export: {args.experiment} (step {trainer.step_count}) -> "
          + ", ".join(str(p) for p in written))
    return 0


def cmd_predict(args) -> int:
    """Predict the rows of a CSV file with a saved experiment: its columns matched by
    name, the label column optional; a CSV of the rows with a ``prediction`` column
    (class names, or the target in its units) to ``-o`` or stdout."""
    import csv

    from nnvis.core.data import read_features
    from nnvis.core.persistence import load_experiment

    trainer = load_experiment(args.experiment)
    X, header, rows = read_features(args.csv, trainer.data.feature_names,
                                    trainer.config.get("data.label_column"))
    predicted = trainer.predict(X)
    values = ([str(p) for p in predicted] if trainer.classification else
              [" ".join(f"{v:.6g}" for v in p.ravel()) for p in predicted])
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header + ["prediction"])
        for cells, value in zip(rows, values):
            writer.writerow(cells + [value])
    finally:
        if args.output:
            out.close()
    if args.output:
        print(f"nnvis predict: {len(rows)} rows of {args.csv} by {args.experiment} "
              f"({trainer.data.task}) written to {args.output}")
        score = _labelled_score(trainer, X, header, rows)
        if score:
            print(score)
    return 0


def _labelled_score(trainer, X, header: list, rows: list) -> str:
    """With the label column in the predicted file: how the predictions score on it
    ("" without one, or with a label the model does not know)."""
    import numpy as np

    from nnvis.core.data import class_indices

    label = trainer.config.get("data.label_column")
    if label not in header:
        return ""
    texts = [cells[header.index(label)] for cells in rows]
    if trainer.classification:
        y = class_indices(texts, trainer.data.class_names)
    else:
        try:
            y = np.array([float(t) for t in texts])
        except ValueError:
            y = None
    if y is None:
        return ""
    with np.errstate(all="ignore"):
        ev = trainer.evaluate(X=trainer.data.transform(X), y=y)
    if trainer.classification:
        return f"against their {label} column: accuracy {ev['acc']:.3f}"
    return f"against their {label} column: r2 {ev['r2']:.3f}, mae {ev['mae']:.4g}"


def cmd_gradcheck(args) -> int:
    from nnvis.core.gradcheck import RESOLUTION, grad_check

    errors, scales, skipped = grad_check(_config_from_args(args), details=True)
    worst = max(errors.values()) if errors else 0.0
    print(f"{'parameter':<20} {'rel. error':>10}  {'max |grad|':>10}")
    for name, err in errors.items():
        notes = []
        if scales[name] < RESOLUTION:
            notes.append(f"tiny gradient: compared to {1e-7 * RESOLUTION:.0e} absolute")
        if skipped[name]:
            notes.append(f"{skipped[name]} entr{'ies' if skipped[name] > 1 else 'y'} at a kink "
                         f"skipped")
        note = f"  ({'; '.join(notes)})" if notes else ""
        print(f"{name:<20} {err:>10.3e}  {scales[name]:>10.3e}{note}")
    print(f"max relative error {worst:.3e}")
    return 0


def cmd_backprop(args) -> int:
    """One sample's path through the network: every node's forward value and gradient."""
    from nnvis.core import Trainer
    from nnvis.core.backprop import format_table, network_graph, weight_gradient_norms

    if args.steps < 0:
        raise UsageError("--steps must be >= 0")
    trainer = _load_for_training(args) if args.load else Trainer(_config_from_args(args))
    if args.steps:
        trainer.step(args.steps)
    try:
        graph = network_graph(trainer, args.sample, args.split)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(graph.to_dict()))
        return 0
    meta = graph.meta
    loss = float(graph.nodes[graph.output].value)
    target = meta["target"]
    if trainer.classification and isinstance(target, int):
        target = f"{target} {trainer.data.class_names[target]}"
    print(f"nnvis backprop: {args.split} sample {meta['sample']} (target {target}), "
          f"step {meta['step']}, {meta['loss']} loss {loss:.6g}")
    print(format_table(graph))
    norms = weight_gradient_norms(graph)
    print("‖∂L/∂W‖ per layer: " + ", ".join(f"{layer} {v:.3g}" for layer, v in norms))
    if len(norms) > 2 and norms[-2][1] > 0:
        print(f"first / last hidden layer: {norms[0][1] / norms[-2][1]:.3g}")
    if "bn_running" in meta["notes"]:
        print("note: batch norm uses its running mean and variance (a batch of one sample "
              "has variance 0)")
    if "dropout_off" in meta["notes"]:
        print("note: dropout is off, as in evaluation")
    return 0


def cmd_bench(args) -> int:
    from nnvis.bench import main as bench_main
    return bench_main(args)


def cmd_app(args) -> int:
    if args.reset_settings:
        # Only QSettings: no window, so it also works without a display.
        from nnvis.app import settings as app_settings
        app_settings.reset_settings()
        print("nnvis: settings reset to defaults (window layout, last experiment, language)")
        return 0
    from nnvis.app.launch import launch
    return launch(args)


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="nnvis", description="Watch a neural network learn.")
    p.add_argument("--engine", choices=["process", "thread"], default="process",
                   help="where the trainer runs: a child process (default) or a worker thread")
    p.add_argument("--preset", help="open the app on a lesson preset")
    p.add_argument("--load", help="open a saved experiment (.nnvis) or a recorded PyTorch run "
                                  "(.nnvisrec)")
    p.add_argument("--listen", metavar="HOST:PORT",
                   help="watch PyTorch scripts that connect here (nnvis.watch); prints a token")
    p.add_argument("--allow-remote", action="store_true",
                   help="let --listen use an address other than loopback (the traffic is not "
                        "encrypted: only on a network you trust)")
    p.add_argument("--reset-settings", action="store_true",
                   help="forget the saved window layout and settings, then exit")
    p.add_argument("--lang", choices=["en", "zh_CN", "zh"],
                   help="language of the app and its lessons (zh: same as zh_CN; default: the "
                        "one chosen in View > Language, else the system's)")
    sub = p.add_subparsers(dest="command")

    def add_config_args(sp):
        g = sp.add_mutually_exclusive_group()
        g.add_argument("--config", help="JSON config file")
        g.add_argument("--preset", help="a lesson preset id (see README)")
        sp.add_argument("--set", action="append", metavar="FIELD=VALUE",
                        help="override a config field, e.g. model.activation=relu")

    t = sub.add_parser("train", help="train headless and print progress")
    add_config_args(t)
    t.add_argument("--steps", type=int, default=1000)
    t.add_argument("--metrics", help="write the metrics of each logged step to this file: "
                                     "a CSV (one row per step, one column per metric and "
                                     "layer) if it ends in .csv, else JSON lines")
    t.add_argument("--log-every", type=int, default=0)
    t.add_argument("--save", help="save the experiment to this .nnvis file")
    t.add_argument("--load", help="continue a saved .nnvis experiment")
    t.set_defaults(func=cmd_train)

    pr = sub.add_parser("predict", help="predict the rows of a CSV file with a saved "
                                        "experiment",
                        description="Predict new rows with a saved .nnvis experiment. The "
                                    "CSV needs the experiment's feature columns, by name (in "
                                    "any order); its label column may be there or not; any "
                                    "other column is refused. The output is the rows with a "
                                    "'prediction' column: class names, or the target in its "
                                    "own units.")
    pr.add_argument("experiment", help="a saved .nnvis experiment")
    pr.add_argument("csv", help="a CSV file of new rows")
    pr.add_argument("-o", "--output", help="write the predictions here (default: stdout)")
    pr.set_defaults(func=cmd_predict)

    ex = sub.add_parser("export", help="write a saved experiment's network as PyTorch code "
                                       "or ONNX",
                        description="The trained network out of nnvis. --to model.py writes "
                                    "a runnable PyTorch file (and model_weights.npz beside "
                                    "it): import model; net = model.load(); "
                                    "model.predict(rows). --to model.onnx writes ONNX (needs "
                                    "the onnx package); it takes raw feature rows.")
    ex.add_argument("experiment", help="a saved .nnvis experiment")
    ex.add_argument("--to", required=True, help="model.py (PyTorch) or model.onnx")
    ex.set_defaults(func=cmd_export)

    g = sub.add_parser("gradcheck", help="compare gradients with finite differences")
    add_config_args(g)
    g.set_defaults(func=cmd_gradcheck)

    bp = sub.add_parser("backprop", help="print one sample's forward values and gradients, "
                                         "node by node",
                        description="One sample through the network, as a computation graph: "
                                    "every node's forward value and gradient and the rule of "
                                    "its gate, from the loss back to the input, then "
                                    "‖∂L/∂W‖ per layer. Batch norm uses its running "
                                    "statistics and dropout is off, as in evaluation.")
    add_config_args(bp)
    bp.add_argument("--load", help="use the weights of a saved .nnvis experiment")
    bp.add_argument("--sample", type=int, default=0, help="index of the sample (default 0)")
    bp.add_argument("--split", choices=["train", "test"], default="train",
                    help="which set the sample is from (default train)")
    bp.add_argument("--steps", type=int, default=0, help="train this many steps first")
    bp.add_argument("--json", action="store_true", help="the whole graph as one JSON object")
    bp.set_defaults(func=cmd_backprop)

    b = sub.add_parser("bench", help="measure training and drawing speed")
    b.add_argument("--quick", action="store_true", help="a short run (under a minute)")
    b.add_argument("--json", help="also write the results to this JSON file")
    b.add_argument("--no-gui", action="store_true", help="skip the offscreen GUI measurements")
    b.set_defaults(func=cmd_bench)
    return p


def main(argv=None) -> int:
    from nnvis.core import ConfigError

    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_app)
    from nnvis.core.allocator import keep_freed_memory
    keep_freed_memory()  # training and redraws reuse pages instead of faulting them in anew
    try:
        return func(args)
    except BrokenPipeError:  # e.g. piped into head: nothing left to say
        return 0
    except (ConfigError, UsageError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MemoryError as exc:  # what the estimate before building did not foresee
        from nnvis.core.memory import out_of_memory
        print(f"error: {out_of_memory(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
