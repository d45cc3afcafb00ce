"""What a panel's "Export data (CSV)" writes: a header and its rows, built from the data the
panel was given (its read-model), never from what it drew."""
from __future__ import annotations

from typing import NamedTuple, Sequence


class Table(NamedTuple):
    header: Sequence[str]
    rows: list


def empty_table(*header: str) -> Table:
    """The columns alone: nothing arrived yet, and the file still says what it would hold."""
    return Table(list(header), [])
