"""What a value may be: type, shape and range, declared as data.

A table ``{key: field}`` describes a record (the snapshot's, in
:mod:`nnvis.core.snapshot_schema`); each field checks one value and returns it as the
panels may use it, or raises a one-line :class:`SchemaError` naming where it is (the watch
protocol reports it as its own WireError). A field may refer to another key of the same
record (an edge matrix as long as ``shown_in``): such keys come earlier in the table, and
the value checked so far is what is compared. Keys that the table does not name are
dropped, so nothing unchecked reaches the panels. Each field also says in a few words what
it accepts (:meth:`Field.describe`), which the snapshot's documentation is generated from.
Plain Python and NumPy: the engine holds the definition, the protocol uses it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

class SchemaError(ValueError):
    """A value that is not what its field says; the text is one line naming where."""


#: Integers stay below 2**53: every one of them is then exact as a float64 (the histories
#: and plots hold steps as floats), and none overflows NumPy's int64.
MAX_COUNT = 2**53 - 1
KIND_NAMES = {"b": "bool", "i": "int", "u": "uint", "f": "float"}


def _shown(value) -> str:
    """A value as an error message quotes it: one short line."""
    text = f"an array of shape {value.shape} and dtype {value.dtype}" if \
        isinstance(value, np.ndarray) else " ".join(repr(value)[:200].split())
    return text if len(text) <= 40 else text[:37] + "..."


def _span(lo: float, hi: float) -> str:
    """A range as the documentation shows it ('' for all numbers)."""
    if math.isinf(lo):
        return "" if math.isinf(hi) else f" ≤ {hi:g}"
    return f" ≥ {lo:g}" if math.isinf(hi) else f" in [{lo:g}, {hi:g}]"


def _float(number) -> float:
    """The float of a JSON number; infinite for an integer too large for one."""
    try:
        return float(number)
    except OverflowError:
        return math.inf


class Field:
    """One value's check; ``check`` returns the value to keep."""

    def check(self, value, record: dict, where: str):
        raise NotImplementedError

    def describe(self) -> str:
        """What the field accepts, in a few words (the generated documentation)."""
        raise NotImplementedError

    def refuse(self, where: str, value, expected: str):
        raise SchemaError(f"{where}: expected {expected}, got {_shown(value)}")


@dataclass(frozen=True)
class Int(Field):
    """A whole number in [lo, hi] and, if ``at_most`` names a key, not above its value."""
    lo: int = 0
    hi: int = MAX_COUNT
    at_most: str | None = None

    def check(self, value, record, where):
        hi = self.hi if self.at_most is None else min(self.hi, record[self.at_most])
        if type(value) is not int or not self.lo <= value <= hi:
            self.refuse(where, value, f"a whole number from {self.lo} to {hi}")
        return value

    def describe(self):
        if self.at_most:
            return f"int in [{self.lo}, min({self.hi}, {self.at_most})]"
        return f"int ≥ {self.lo}" if self.hi == MAX_COUNT else f"int in [{self.lo}, {self.hi}]"


@dataclass(frozen=True)
class Real(Field):
    """A finite number in [lo, hi], or (if ``nan``) NaN: "not measured" (a run with no
    test set, a metric the script did not log). Infinity is refused: a script sends NaN
    instead."""
    lo: float = -math.inf
    hi: float = math.inf
    nan: bool = True

    def check(self, value, record, where):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        number = _float(value) if ok else math.inf
        if not ok or not (self.nan and math.isnan(number) or math.isfinite(number) and
                          self.lo <= number <= self.hi):
            self.refuse(where, value, ("NaN or " if self.nan else "") + "a finite number" + (
                f" from {self.lo:g} to {self.hi:g}" if math.isfinite(self.lo) else ""))
        return number

    def describe(self):
        return f"float{_span(self.lo, self.hi)}" + (" or NaN" if self.nan else "")


@dataclass(frozen=True)
class OfType(Field):
    """A value of one Python type (``of``), its contents not checked further."""
    of = object
    expected = "anything"
    name = "any"

    def check(self, value, record, where):
        if not isinstance(value, self.of):
            self.refuse(where, value, self.expected)
        return value

    def describe(self):
        return self.name


@dataclass(frozen=True)
class Flag(OfType):
    of, expected, name = bool, "true or false", "bool"


@dataclass(frozen=True)
class Text(Field):
    """A string of at most ``max_len`` characters, all printable (it is shown on screen)."""
    max_len: int = 200

    def check(self, value, record, where):
        if not isinstance(value, str) or len(value) > self.max_len or not value.isprintable():
            self.refuse(where, value, f"a printable text of at most {self.max_len} characters")
        return value

    def describe(self):
        return f"text ≤ {self.max_len} chars"


@dataclass(frozen=True)
class Choice(Field):
    values: tuple

    def check(self, value, record, where):
        if not any(type(value) is type(v) and value == v for v in self.values):
            self.refuse(where, value, " or ".join(map(repr, self.values)))
        return value

    def describe(self):
        return " or ".join(f"`{v!r}`" for v in self.values)


@dataclass(frozen=True)
class AtMost:
    """An array dimension of at most the value of another key, or of a number."""
    key: str | int

    def limit(self, record) -> int:
        return record[self.key] if isinstance(self.key, str) else self.key


@dataclass(frozen=True)
class Array(Field):
    """A NumPy array. ``shape``: per dimension an exact length, the name of an integer key
    (that length), :class:`AtMost` or None (any length); ``like``: the exact shape of
    another array key instead. ``kinds``: allowed dtype kinds. Float entries are finite or
    NaN, and every entry lies in [lo, hi] (NaN aside)."""
    shape: tuple = (None,)
    kinds: str = "iuf"
    lo: float | None = None
    hi: float | None = None
    like: str | None = None

    def _shape(self, record) -> tuple:
        if self.like is not None:
            return record[self.like].shape
        return tuple(record[d] if isinstance(d, str) else d for d in self.shape)

    def check(self, value, record, where):
        if not isinstance(value, np.ndarray) or value.dtype.kind not in self.kinds:
            self.refuse(where, value, f"an array of dtype kind {' or '.join(self.kinds)}")
        expected = self._shape(record)
        if value.ndim != len(expected) or any(
                e is not None and (n > e.limit(record) if isinstance(e, AtMost) else n != e)
                for n, e in zip(value.shape, expected)):
            shown = tuple("any" if e is None else f"<={e.limit(record)}"
                          if isinstance(e, AtMost) else e for e in expected)
            self.refuse(where, value, f"an array of shape {shown}".replace("'", ""))
        if value.size and value.dtype.kind != "b":
            with np.errstate(all="ignore"):
                if value.dtype.kind == "f" and np.isinf(value).any():
                    self.refuse(where, value, "no infinite entries (NaN: not measured)")
                if self.lo is not None and (value < self.lo).any() or \
                        self.hi is not None and (value > self.hi).any():
                    self.refuse(where, value, f"entries from {self.lo} to {self.hi}")
        return value

    def describe(self):
        dims = f"shape of {self.like}" if self.like else "(" + ", ".join(
            "any" if d is None else f"≤ {d.key}" if isinstance(d, AtMost) else str(d)
            for d in self.shape) + ")"
        span = _span(-math.inf if self.lo is None else self.lo,
                     math.inf if self.hi is None else self.hi)
        return f"array {dims} of {'/'.join(KIND_NAMES[k] for k in self.kinds)}{span}"


@dataclass(frozen=True)
class Pair(Field):
    """Two finite numbers, the first below the second (a range)."""

    def check(self, value, record, where):
        if not (isinstance(value, (list, tuple)) and len(value) == 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and
                math.isfinite(_float(v)) for v in value) and value[0] < value[1]):
            self.refuse(where, value, "a range [low, high] of finite numbers")
        return [float(v) for v in value]

    def describe(self):
        return "[low, high], finite"


@dataclass(frozen=True)
class Record(Field):
    """A mapping checked against a table of fields (see :func:`check_record`)."""
    fields: dict

    def check(self, value, record, where):
        return check_record(value, self.fields, where)

    def describe(self):
        return "{" + ", ".join(self.fields) + "}" if len(self.fields) <= 6 else \
            f"mapping of {len(self.fields)} keys"


@dataclass(frozen=True)
class Mapping(OfType):
    """Any mapping, its contents not checked: what only the engine itself produces (its
    config, a divergence report), never a stranger."""
    of, expected, name = dict, "a mapping", "mapping"


@dataclass(frozen=True)
class ListOf(Field):
    """A list of ``min_len`` to ``max_len`` items, each checked by ``item``; ``rule`` may
    refuse the whole checked list (it returns what is wrong, or None)."""
    item: Field
    min_len: int = 0
    max_len: int = 4096
    rule: object = None

    def check(self, value, record, where):
        if not isinstance(value, (list, tuple)) or not \
                self.min_len <= len(value) <= self.max_len:
            self.refuse(where, value, f"a list of {self.min_len} to {self.max_len} items")
        items = [self.item.check(v, record, f"{where}[{i}]") for i, v in enumerate(value)]
        wrong = self.rule(items) if self.rule is not None else None
        if wrong:
            raise SchemaError(f"{where}: {wrong}")
        return items

    def describe(self):
        count = self.min_len if self.min_len == self.max_len else \
            f"{self.min_len} to {self.max_len}"
        return f"list of {count}: {self.item.describe()}"


@dataclass(frozen=True)
class Optional(Field):
    """``field``, or None; a missing key (or None) gives ``default``."""
    field: Field
    default: object = None

    def check(self, value, record, where):
        return self.default if value is None else self.field.check(value, record, where)

    def describe(self):
        return f"{self.field.describe()}, or None"


def check_record(value, fields: dict, where: str) -> dict:
    """A new dict holding the checked value of each key of ``fields`` (and nothing else);
    SchemaError names the first key that is missing or wrong."""
    if not isinstance(value, dict):
        raise SchemaError(f"{where}: expected a mapping, got {_shown(value)}")
    out: dict = {}
    for key, field in fields.items():
        if key in value:
            out[key] = field.check(value[key], out, f"{where}.{key}")
        elif isinstance(field, Optional):
            out[key] = field.default
        else:
            raise SchemaError(f"{where}: missing {key!r}")
    return out
