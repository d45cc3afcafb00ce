"""Declarative schemas: a document's fields as a table (type, range or choices, default,
docstring), from which its defaults, its validation and its error texts all come.

A table is a sequence of :class:`Field` and :class:`Rule` items, checked in order (so the
first refusal a document gets does not depend on how its keys were written). A field's
``check`` is called as ``check(path, value)`` and returns the value to keep (normalised:
``2`` for an integer field given ``2.0``) or raises a coded
:class:`~nnvis.core.refusals.ConfigError`; the kinds below cover numbers, choices and
flags, and any function of that shape serves for a field of its own kind.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Callable

from .refusals import ConfigError, shown


def _as_float(v) -> float:
    """A number as a float; an integer beyond float's range is infinite (float() raises)."""
    try:
        return float(v)
    except OverflowError:
        return math.inf


@dataclass(frozen=True)
class Number:
    """A finite number (or an integer) within optional bounds; open bounds exclude
    themselves."""
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def __call__(self, path: str, v):
        # bool is an int in Python, but true is not a learning rate.
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and \
            math.isfinite(_as_float(v)) and (not self.integer or float(v).is_integer())
        if ok and self.low is not None:
            ok = v > self.low if self.low_open else v >= self.low
        if ok and self.high is not None:
            ok = v < self.high if self.high_open else v <= self.high
        if not ok:
            raise ConfigError.coded(path, "number", integer=self.integer, low=self.low,
                                    high=self.high, low_open=self.low_open,
                                    high_open=self.high_open, value=shown(v))
        return int(v) if self.integer else float(v)


@dataclass(frozen=True)
class Choice:
    """One of a fixed list of names."""
    choices: tuple

    def __call__(self, path: str, v):
        if v not in self.choices:
            raise ConfigError.coded(path, "choice", choices=list(self.choices), value=shown(v))
        return v


@dataclass(frozen=True)
class Flag:
    """true or false (not 0 or 1)."""

    def __call__(self, path: str, v):
        if not isinstance(v, bool):
            raise ConfigError.coded(path, "boolean", value=shown(v))
        return v


@dataclass(frozen=True)
class Nullable:
    """null, standing for ``null`` (None: kept as null), or what ``inner`` accepts."""
    inner: Callable
    null: object = None

    def __call__(self, path: str, v):
        if v is None:
            return None if self.null is None else self.inner(path, self.null)
        return self.inner(path, v)


@dataclass(frozen=True)
class Widths:
    """A list of at most ``most`` layer widths, each checked by ``width`` (as
    ``path[i]``)."""
    most: int
    width: Callable

    def __call__(self, path: str, v):
        if not isinstance(v, list) or len(v) > self.most:
            raise ConfigError.coded(path, "hidden_list", most=self.most)
        return [self.width(f"{path}[{i}]", w) for i, w in enumerate(v)]


@dataclass(frozen=True)
class Field:
    """One leaf of the document: its dotted ``path``, ``default``, ``check`` and what it
    means (``doc``). ``when(document)`` false: the field does not apply and is not checked."""
    path: str
    default: object
    check: Callable
    doc: str
    when: Callable[[dict], bool] | None = None


@dataclass(frozen=True)
class Rule:
    """A check across fields: ``check(document)`` raises ConfigError if it fails."""
    check: Callable[[dict], None]
    doc: str


def defaults(table) -> dict:
    """The nested document of every field's default, in the table's order."""
    out: dict = {}
    for item in table:
        if isinstance(item, Field):
            *parents, key = item.path.split(".")
            node = out
            for part in parents:
                node = node.setdefault(part, {})
            node[key] = copy.deepcopy(item.default)
    return out


def validate(table, document: dict) -> dict:
    """Check (and normalise, in place) a document that has every field of ``table``."""
    for item in table:
        if isinstance(item, Rule):
            item.check(document)
            continue
        if item.when is not None and not item.when(document):
            continue
        *parents, key = item.path.split(".")
        node = document
        for part in parents:
            node = node[part]
        node[key] = item.check(item.path, node[key])
    return document
