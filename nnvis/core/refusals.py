"""Why a value was refused, as data: a code, the field's path and named parameters.

The English sentence is rendered here from code + params, byte for byte what the CLI has
always printed (scripts parse its ``error:`` lines). The app translates by code instead of
by parsing the sentence; a code it does not know is shown in English, never lost.

A refusal crosses to the app as a :class:`Refusal`: a ``str`` (the English message, so
every reader of the text keeps working) that also carries ``path``, ``code`` and
``params``, and pickles with them through the trainer's pipe.
"""
from __future__ import annotations


def _bounds(p: dict) -> str:
    rng = ""
    if p.get("low") is not None:
        rng += f" {'>' if p.get('low_open') else '>='} {p['low']}"
    if p.get("high") is not None:
        rng += (" and" if p.get("low") is not None else "") + \
            f" {'<' if p.get('high_open') else '<='} {p['high']}"
    return rng


def _known(p: dict) -> str:
    return f" (known: {', '.join(p['known'])})" if p.get("known") else ""


#: code -> the English reason, from the params. ``value`` params are already quoted
#: (``shown()``), as the message quotes them.
ENGLISH = {
    # params: integer (bool), low, high, low_open, high_open, value
    "number": lambda p: (f"must be {'an integer' if p['integer'] else 'a finite number'}"
                         f"{_bounds(p)} (got {p['value']})"),
    # params: choices (list of str), value
    "choice": lambda p: f"must be one of {', '.join(p['choices'])} (got {p['value']})",
    # params: value
    "boolean": lambda p: f"must be true or false (got {p['value']})",
    # params: most
    "hidden_list": lambda p: f"must be a list of at most {p['most']} layer widths",
    "csv_label": lambda p: "name the label column of the CSV file",
    "path_string": lambda p: "must be a file path string",
    # params: known (the fields there are; may be absent)
    "unknown_field": lambda p: f"unknown field{_known(p)}",
}


def english(code: str, params: dict) -> str:
    """The English reason for ``code`` with ``params``."""
    return ENGLISH[code](params)


class Refusal(str):
    """The one-line English message "path: reason", carrying what it was made from:
    ``path``, ``reason`` (English), ``code`` (None: a sentence with no code) and
    ``params``."""

    def __new__(cls, text: str, path: str = "", reason: str = "", code: str | None = None,
                params: dict | None = None):
        self = super().__new__(cls, text)
        self.path, self.reason, self.code = path, reason, code
        self.params = dict(params or {})
        return self

    def __str__(self):
        return self   # str() of a Refusal keeps its code (str's own would drop it)

    def __reduce__(self):
        return (Refusal, (str.__str__(self), self.path, self.reason, self.code, self.params))


#: Every character str.splitlines() breaks a line at, as an escape that keeps one line.
LINE_BREAKS = {c: repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """``text`` with its line breaks escaped: an error is one line, whatever a file name or
    a field name it quotes holds (scripts read the CLI's ``error:`` line)."""
    return text.translate(str.maketrans(LINE_BREAKS))


class ConfigError(ValueError):
    """A config value is invalid. ``path`` is the dotted field path ("" for the whole doc).
    The message is always one line. A refusal the app translates has a ``code`` and
    ``params`` (see :mod:`nnvis.core.refusals`): :meth:`coded` renders its English reason.
    ``str()`` of it is a :class:`Refusal`, which keeps them."""

    def __init__(self, path: str, reason: str, code: str | None = None,
                 params: dict | None = None):
        self.path = path
        self.reason = one_line(reason)
        self.code = code
        self.params = dict(params or {})
        super().__init__(one_line(f"{path}: {reason}" if path else reason))

    @classmethod
    def coded(cls, path: str, code: str, **params) -> "ConfigError":
        return cls(path, english(code, params), code=code, params=params)

    def __str__(self):
        return Refusal(super().__str__(), self.path, self.reason, self.code, self.params)


#: Longest value quoted whole in an error message; longer ones are cut (one readable line).
MAX_SHOWN = 40


def shown(v) -> str:
    """``repr(v)`` for an error message, cut short: a 5,000-digit number or a deeply nested
    list would turn the one error line into a screenful."""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10 ** MAX_SHOWN:
        return f"an integer of {len(str(abs(v)))} digits"
    text = repr(v)
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}… ({len(text)} characters)"
