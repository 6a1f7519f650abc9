"""Read an .xlsx workbook: every sheet is a grid of cells located as "Sheet!E12".

Formula cells give the value Excel cached when the file was last saved; merged ranges carry
their text in the top-left cell only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from egovcli.ingest.layout import Cell, interpret
from egovcli.model import Extracted


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one workbook."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    tables: list[list[list[Cell]]] = []
    for name in workbook.sheet_names:
        values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        letters = [_column_letter(c) for c in range(max((len(row) for row in values), default=0))]
        grid = [
            [Cell(_text(value), f"{name}!{letters[c]}{r}") for c, value in enumerate(row)]
            for r, row in enumerate(values, 1)
            if any(value != "" for value in row)
        ]
        if grid:
            tables.append(grid)
    return interpret([], tables, source=str(path))


def _column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: object) -> str:
    """A cell value as it would be printed; decimals with a comma so `parse_value` reads them."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.10f}".rstrip("0").replace(".", ",")
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
