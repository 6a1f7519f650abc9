"""What `egov verify` tells the published-table reader from outside the grid: the columns the user
named (`--columns`) when the headers do not say, and a list noting the headers of the tables that
were no ranking table (said when none is found). Both are set around one reading, in the reading
process (`egovcli.ingest.ranking`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from egovcli.textnorm import key, lazy_pattern

LETTER = lazy_pattern(r"^[A-Z]{1,2}$")  # a column given by its letter (--columns total=F)


class Columns(NamedTuple):
    """Columns named by the user (`egov verify --columns`) when detection fails: each a column
    letter of the grid ("B") or the text of its header ("Chỉ số DTI"); `components` the columns
    summed into the total (all the others are then ignored)."""

    agency: str = ""
    total: str = ""
    rank: str = ""
    components: tuple[str, ...] = ()


_GIVEN: ContextVar[Columns | None] = ContextVar("given_columns", default=None)
_SEEN: ContextVar[list[str] | None] = ContextVar("seen_headers", default=None)


@contextmanager
def given_columns(columns: Columns | None) -> Iterator[None]:
    """Read the ranking tables with `columns` as named."""
    token = _GIVEN.set(columns)
    try:
        yield
    finally:
        _GIVEN.reset(token)


def current() -> Columns | None:
    """The columns named for this reading, if any."""
    return _GIVEN.get()


@contextmanager
def seeing_headers() -> Iterator[list[str]]:
    """Note the header of each table read that is no ranking table (`note_header`)."""
    seen: list[str] = []
    token = _SEEN.set(seen)
    try:
        yield seen
    finally:
        _SEEN.reset(token)


def note_header(header: Sequence[str]) -> None:
    """Note one table's header (its cells' texts) when headers are being noted."""
    seen = _SEEN.get()
    if seen is not None:
        seen.append(" | ".join(" ".join(text.split()) for text in header))


def letter(text: str) -> int:
    """The column index of a column letter ("A" → 0, "AB" → 27)."""
    number = 0
    for char in text:
        number = number * 26 + ord(char) - ord("A") + 1
    return number - 1


def column_of(texts: Sequence[str], wanted: str) -> int | None:
    """The column whose header is `wanted` (a letter, or its text: accents, case, line breaks
    ignored; else the first header containing it)."""
    if LETTER.match(wanted):
        return letter(wanted)
    target = key(wanted)
    keys = [key(t) for t in texts]
    exact = next((c for c, k in enumerate(keys) if k and k == target), None)
    if exact is not None:
        return exact
    return next((c for c, k in enumerate(keys) if target and target in k), None)


def named_roles(
    labels: Mapping[int, str], block: Sequence[Sequence[str]], roles: Mapping[int, str], given: Columns
) -> tuple[dict[int, str], frozenset[int] | None]:
    """A header's column roles ("TOTAL", "RANK") with those the user named, and the only columns
    to read when components are named (else None). `labels` is each column's lowest header text,
    `block` the header's rows (a text may be named from an upper row)."""
    texts = [labels.get(c, "") for c in range(max(labels, default=-1) + 1)]
    width = len(block[0]) if block else 0
    top = [text for row in block for text in row]

    def find(wanted: str) -> int | None:
        found = column_of(texts, wanted)
        if found is None and not LETTER.match(wanted) and width:
            found = next((c % width for c, text in enumerate(top) if key(wanted) in key(text)), None)
        return found

    named = dict(roles)
    for role, wanted in (("TOTAL", given.total), ("RANK", given.rank)):
        if wanted and (column := find(wanted)) is not None:
            named = {c: r for c, r in named.items() if r != role}
            named[column] = role
    if not given.components:
        return named, None
    parts = {c for wanted in given.components if (c := find(wanted)) is not None}
    return named, frozenset(parts | set(named))
