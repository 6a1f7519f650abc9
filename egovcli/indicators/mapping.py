"""Pins from a user-edited mapping.csv (label → indicator id, or none)."""

from __future__ import annotations

from pathlib import Path

from egovcli.indicators.load import CATALOGUE_PATH, catalogue
from egovcli.problems import EgovError, Problem
from egovcli.textnorm import key, nfc


class MappingError(EgovError, ValueError):
    """A user mapping file (or pin) that cannot be used; each problem names file:line."""

    code = "E-CSV-UNKNOWN"
    heading = "Lỗi tệp ánh xạ chỉ số"


def load_mapping(path: Path) -> dict[str, str]:
    """Pins from a user-edited mapping.csv: key(label) → indicator id ("" = not an indicator).

    UTF-8 (a BOM is fine), a header row naming the columns `label` and `indicator` (other columns are
    ignored; `;` works as the separator too, as Excel writes it in Vietnamese locales). Raises
    MappingError naming file:line for every malformed row (a quote error included), unknown
    indicator id or label pinned twice to different indicators.
    """
    from egovcli.csvfile import CsvReadError, read_csv

    try:
        table = read_csv(path, multiline=("label",))  # a label copied from a Word cell
    except CsvReadError as exc:
        raise MappingError(exc.problems) from exc
    header = table.columns
    if "label" not in header or "indicator" not in header:
        what = "the header row must name the columns label,indicator"
        raise MappingError([table.problem("E-CSV-HEADER", 1, what)])
    at_label, at_indicator = header.index("label"), header.index("indicator")
    known = catalogue()
    pins: dict[str, str] = {}
    lines: dict[str, int] = {}
    errors: list[Problem] = []
    for row in table.rows:
        line, cells = row.line, row.cells
        if len(cells) != len(header):
            what = f"{len(cells)} columns, the header has {len(header)}"
            errors.append(table.problem("E-CSV-COLUMNS", line, what))
            continue
        label_key, indicator = key(cells[at_label]), cells[at_indicator].strip()
        if not label_key:
            errors.append(table.problem("E-CSV-MISSING", line, "empty label"))
        elif indicator and indicator not in known:
            what = f"unknown indicator '{indicator}' (not in {CATALOGUE_PATH.name})"
            errors.append(table.problem("E-CSV-UNKNOWN", line, what))
        elif pins.get(label_key, indicator) != indicator:
            what = (f"'{nfc(cells[at_label])}' is already pinned to "
                    f"'{pins[label_key] or '(none)'}' on line {lines[label_key]}")
            errors.append(table.problem("E-CSV-DUPLICATE", line, what))
        else:
            pins[label_key], lines[label_key] = indicator, line
    if errors or table.problems:
        raise MappingError(table.report(errors))
    return pins
