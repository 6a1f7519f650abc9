"""How a `Problem` is shown, in every output: the one rendering path for problems.

A problem quotes submitted text (an agency name, a label, a value, a file name), so this is where
that text is escaped on its way out, with the rules of `egovcli.untrusted`:

- a line for a person (stderr, a terminal, a text table): `line` — "file:line: message [CODE]",
  control characters and bidi overrides shown as visible escapes (`\\x1b`); `cell` gives the same
  as a rich `Text` (never markup) for a table cell;
- JSON: `record` — the problem object every command's JSON uses (`Problem.as_dict`: code,
  severity, message, file, location, category, message_en, where{file, sheet, cell, page, row,
  line, agency, criterion}); `egovcli.untrusted.json_text` writes it, exact text, `\\u` escapes;
- CSV, markdown, HTML, xlsx: `row` — flat columns (`COLUMNS`), escaped by the writer of that
  format (`render.export.to_csv`, the summary templates' `md_cell` / autoescape, the workbook's
  cells), each built on `egovcli.untrusted.visible`;
- `code_label` — a code with what it means ("over_max – Điểm vượt điểm tối đa của tiêu chí"), for
  legends, audit sheets and summaries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from egovcli.lang import EN, current
from egovcli.problems import CATALOGUE, EgovError, Problem, title
from egovcli.untrusted import terminal, visible

if TYPE_CHECKING:
    from rich.text import Text

COLUMNS = ("code", "severity", "category", "message", "message_en", "file", "location", "agency", "criterion")


def _text(p: Problem, *, file: bool = True) -> str:
    """The line, unescaped, in the command's language (`egovcli.lang`: `message_en` for English,
    when the problem has one); `file=False` leaves the file out (a table whose row names it)."""
    where = str(p.where) if file else p.location
    tag = p.code + (f", {p.category}" if p.category else "")
    message = p.message_en if current() == EN and p.message_en else p.message
    return (f"{where}: " if where else "") + f"{message} [{tag}]"


def line(p: Problem, *, file: bool = True) -> str:
    """One line for a person: "file:line: message [CODE]" ("file (Sheet!E12): …", "message [CODE]"
    when nothing is known of where), submitted text shown, never obeyed."""
    return visible(_text(p, file=file))


def cell(problems: Iterable[Problem], *, file: bool = False) -> Text:
    """The problems as one rich table cell, a line each (never parsed as markup)."""
    return terminal("\n".join(_text(p, file=file) for p in problems))


def report(error: EgovError) -> str:
    """What the CLI prints for an error: its heading, then each problem ("Lỗi bộ tiêu chí:" and one
    `file:line: …` line per mistake; one problem stays on the heading's line)."""
    lines = [line(p) for p in error.problems]
    heading = "Error" if current() == EN else error.heading
    return f"{heading}:" + (f" {lines[0]}" if len(lines) == 1 else "\n" + "\n".join(lines))


def record(p: Problem, **fields: object) -> dict[str, object]:
    """The JSON problem object; after `fields` (a verify finding's export columns) when given, its
    own keys then only those the fields do not have."""
    return {**fields, **{k: v for k, v in p.as_dict().items() if k not in fields}}


def row(p: Problem) -> dict[str, object]:
    """The problem as flat columns (`COLUMNS`), for CSV, tables, markdown, HTML and xlsx."""
    found = p.as_dict()
    return {c: found[c] if c in found else getattr(p.where, c) for c in COLUMNS}


def code_label(code: str) -> str:
    """The code with what it means, as legends and audit sheets name a flag; a code this egov does
    not know (a workspace edited by hand) stays bare, never stops the output."""
    return f"{code} – {title(code)}" if code in CATALOGUE else code
