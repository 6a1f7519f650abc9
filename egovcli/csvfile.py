"""Strict reading of the small CSV files a person edits: agencies.csv, mapping.csv, adjustments.csv.

A forgiving CSV reader lets one unterminated quote swallow every row after it into one cell, so a
pin, an agency or an appraisal adjustment would be silently dropped. Here:

- UTF-8 (a BOM is fine), Unicode NFC; `;` is the separator when the header line has `;` and no `,`
  (Excel in a Vietnamese locale), else `,`.
- Quotes are strict: a quote error is reported at the line where its row starts, and reading goes on
  with the next line, so every bad row is reported, not only the first.
- A cell spanning several lines is an unterminated quote, not a cell: in a column that never holds
  line breaks (every column but those the loader names `multiline`, such as a reason), or when its
  later lines look like rows of the file (as many separators as the header needs).
- A cell over `MAX_CELL` characters is refused (the csv module would raise "field larger than field
  limit").

`read_csv` returns the rows with their line numbers and these problems (`egovcli.problems.Problem`,
codes E-CSV-…, at `Location(file, line)`); each loader adds its own (unknown names, duplicates…,
`CsvFile.problem`) and refuses the file when there is any, listing them all in line order
(`CsvFile.report`), each shown as `file:line: what`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from egovcli.problems import EgovError, Location, Problem, at_line, sorted_by_line
from egovcli.textnorm import key

MAX_CELL = 131_072  # characters: the csv module's default limit, and far beyond any name or reason


class CsvReadError(EgovError, ValueError):
    """The file cannot be read at all (missing, unreadable, not UTF-8): `file[:line]: what`."""

    code = "E-CSV-UNREADABLE"


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # the row's first line in the file (1-based)
    cells: list[str]


@dataclass(slots=True)
class CsvFile:
    name: str  # how messages name the file
    sha256: str  # of the file's bytes
    header: list[str]  # the first row's cells, as written
    rows: list[CsvRow] = field(default_factory=list)  # the rows after the header, blank ones left out
    problems: list[Problem] = field(default_factory=list)  # about the rows left out

    @property
    def columns(self) -> list[str]:
        """The header's column names as loaders match them: case, accents, spaces and punctuation
        ignored (`textnorm.key`: " Label" and "label" are one column)."""
        return [key(h) for h in self.header]

    def problem(self, code: str, line: int | None, what: str) -> Problem:
        """A mistake `code` (E-CSV-…) at `line` of this file (None: the file as a whole)."""
        return at_line(code, self.name, line, what)

    def report(self, more: Iterable[Problem] = ()) -> list[Problem]:
        """These problems and `more` (a loader's own), in line order."""
        return sorted_by_line([*self.problems, *more])


def read_csv(path: str | Path, name: str | None = None, *, multiline: Collection[str] = ()) -> CsvFile:
    """Read `path` strictly (see the module doc); `name` is how messages name it (default: the path);
    `multiline`: the columns (header names, matched as `CsvFile.columns`) whose cells may hold line
    breaks."""
    path = Path(path)
    where = str(path) if name is None else name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CsvReadError(f"không đọc được tệp: {exc.strerror or exc}", where=Location(where)) from exc
    try:
        text = unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "tệp không phải UTF-8 (hãy lưu lại dưới dạng CSV UTF-8)"
        raise CsvReadError(message, where=Location(where, line=line)) from exc
    lines = io.StringIO(text, newline="").readlines()  # keeps \r\n, \r, \n as written
    first = lines[0] if lines else ""
    delimiter = ";" if ";" in first and "," not in first else ","
    rows, errors = _parse(lines, delimiter)
    # the header is the first row, unless a quote error came before it
    header = rows.pop(0).cells if rows and not any(line < rows[0].line for line, _, _ in errors) else []
    needed = max(len(header) - 1, 1)  # separators on a line that is a row of its own
    allowed = {key(c) for c in multiline}
    spans = [key(h) in allowed for h in header]
    kept = []
    for row in rows:
        found = _cell_problems(row, delimiter, needed, spans)
        errors += found
        if not found and any(c.strip() for c in row.cells):
            kept.append(row)
    problems = [at_line(code, where, line, what) for line, code, what in errors]
    return CsvFile(where, hashlib.sha256(data).hexdigest(), header, kept, problems)


_Mistake = tuple[int, str, str]  # (line, code, what)


def _parse(lines: list[str], delimiter: str) -> tuple[list[CsvRow], list[_Mistake]]:
    """Rows with their first line, and (line, problem) for each quote error: such an error skips
    only the line it starts on."""
    rows: list[CsvRow] = []
    errors: list[_Mistake] = []
    offset = 0  # lines before the current reader's first
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, sum(map(len, lines)) + 1))  # a long cell is reported, not raised
    try:
        while offset < len(lines):
            reader = csv.reader(lines[offset:], delimiter=delimiter, strict=True)
            done = 0  # reader.line_num after the last whole row
            try:
                for cells in reader:
                    if cells:
                        rows.append(CsvRow(offset + done + 1, cells))
                    done = reader.line_num
                return rows, errors
            except csv.Error as exc:
                start = offset + done + 1
                what = (f"lỗi dấu ngoặc kép ({exc}): một ô mở bằng \" phải đóng bằng \""
                        " (dấu \" trong ô viết thành \"\")")
                errors.append((start, "E-CSV-QUOTE", what))
                offset = start  # go on with the next line: the rows after it are read and checked
        return rows, errors
    finally:
        csv.field_size_limit(limit)


def _cell_problems(row: CsvRow, delimiter: str, needed: int, spans: list[bool]) -> list[_Mistake]:
    out: list[_Mistake] = []
    for i, cell in enumerate(row.cells):
        lines = cell.splitlines()
        last = row.line + len(lines) - 1
        if len(cell) > MAX_CELL:
            what = f"ô quá dài ({len(cell)} ký tự, tối đa {MAX_CELL})"
            out.append((row.line, "E-CSV-CELL-TOO-LONG", what))
        elif len(lines) > 1 and not (i < len(spans) and spans[i]):
            what = (f"dấu ngoặc kép chưa đóng: ô thứ {i + 1} kéo dài qua các dòng {row.line}–{last}"
                    " (ô này không xuống dòng)")
            out.append((row.line, "E-CSV-QUOTE", what))
        elif any(line.count(delimiter) >= needed for line in lines[1:]):
            what = (f"dấu ngoặc kép chưa đóng: một ô kéo dài qua các dòng {row.line}–{last}"
                    " và nuốt cả các dòng dữ liệu trong đó")
            out.append((row.line, "E-CSV-QUOTE", what))
    return out
