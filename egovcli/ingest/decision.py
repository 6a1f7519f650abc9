"""Reading a published criteria decision (Quyết định … ban hành Bộ chỉ số / Bộ tiêu chí) for
`egov rules draft`: the file read by the format's reader (`readers.<format>.read`, within the same
limits and type checks as ingest), its criteria tables found by their header (`layout.header`), and
each row placed in the criterion tree the way self-scores are (`layout.criteria_rows`).

Columns are found by their header: STT/TT, the label ("Nội dung", "Tiêu chí", "Chỉ số / Chỉ số
thành phần": the column after STT), "Điểm tối đa", "Cách xác định và tính điểm" / "Cách tính",
"Tài liệu kiểm chứng" / "Minh chứng", "Nguồn …" / "Đơn vị phối hợp xác minh …". A self-assessment
form's score columns ("Điểm tự đánh giá", "Điểm thẩm định") are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from egovcli.ingest.layout import Document, Grid, criteria_rows
from egovcli.ingest.layout.header import find_header
from egovcli.ingest.readers import safety, sniff
from egovcli.ingest.readers.safety import Limits
from egovcli.problems import Problem, problem
from egovcli.rules.draft import PrintedRow
from egovcli.textnorm import key

READERS = {
    ".docx": "egovcli.ingest.readers.docx",
    ".xlsx": "egovcli.ingest.readers.xlsx",
    ".pdf": "egovcli.ingest.readers.pdf",
}
_EVIDENCE = ("tai lieu kiem chung", "tai lieu minh chung", "minh chung", "ho so kiem chung")
_SOURCE = ("nguon", "don vi phoi hop", "co quan phoi hop", "don vi xac minh", "co quan xac minh")


@dataclass(slots=True)
class Decision:
    """The criteria tables of one decision (each a list of rows, in printed order), its running
    text, and what went wrong reading it."""

    tables: list[list[PrintedRow]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_decision(path: Path, limits: Limits | None = None) -> Decision:
    """The criteria tables of a .docx, .xlsx or .pdf decision. Nothing raises: a file that cannot
    be read gives its problem (as in ingest), a file without a criteria table no tables."""
    from egovcli.ingest.extract import exception_problem, size_refusal

    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        formats = ", ".join(READERS)
        return Decision(problems=[problem("E-WRONG-TYPE", file, suffix=suffix or "(không có)",
                                          actual="không phải .docx, .xlsx, .pdf",
                                          advice=f"hãy lưu quyết định thành một trong {formats}")])
    limits = limits or Limits()
    try:
        with safety.applied(limits):
            if refused := size_refusal(path, limits):
                return Decision(problems=[refused])
            kind = sniff.sniff(path)
            if kind not in sniff.SUFFIX_KINDS[suffix]:
                return Decision(problems=[problem("E-WRONG-TYPE", file, suffix=suffix,
                                                  actual=sniff.KIND_NAMES.get(kind, kind),
                                                  advice="hãy lưu lại đúng định dạng")])
            document: Document = import_module(READERS[suffix]).read(path)
    except MemoryError:
        return Decision(problems=[safety.out_of_memory(file)])
    except Exception as exc:  # noqa: BLE001 - a broken file is a problem to show, not a crash
        return Decision(problems=[exception_problem(file, exc)])
    if document.refused:
        return Decision(problems=document.problems)
    tables = [rows for grid in document.tables if (rows := criteria_table(grid))]
    return Decision(tables, [line.text for line in document.lines], document.problems)


def criteria_table(grid: Grid) -> list[PrintedRow]:
    """The rows of a criteria table (a header with a label and "Điểm tối đa"), in the criterion
    tree; [] for any other table."""
    header = find_header(grid)
    if header is None or "max" not in header.roles:
        return []
    roles = header.roles
    evidence = _column(header.texts, _EVIDENCE)
    source = _column(header.texts, _SOURCE)

    def text(texts: tuple[str, ...], column: int | None) -> str:
        return texts[column] if column is not None and column < len(texts) else ""

    found = []
    for row in criteria_rows(grid, header):
        located = next((cell.location for cell in row.cells if cell is not None and cell.location), "")
        found.append(PrintedRow(
            row.path, row.kind, row.ref, text(row.texts, roles["label"]), text(row.texts, roles["max"]),
            text(row.texts, roles.get("method")), text(row.texts, evidence), text(row.texts, source), located,
        ))
    return found if any(r.kind == "scored" for r in found) else []


def _column(texts: list[str], prefixes: tuple[str, ...]) -> int | None:
    return next((c for c, t in enumerate(texts) if key(t).startswith(prefixes)), None)
