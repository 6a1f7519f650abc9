"""A help page laid out as rich lays typer's help out (rich.table, rich.columns, rich.panel,
rich.padding, rich.text's wrapping), for output without escape codes, whose only form is its
characters: one character, one cell (`egovcli.cli.helpmodel` checks every string of the model). A
layout it does not reproduce raises NotImplementedError and `egovcli.helppage` has rich print the
page; tests/test_cli_fast_help.py holds both to typer's help, this one at 17 widths from 10 to 250.
"""

import math
import re
from typing import Any


def _divide(text: str, width: int, fold: bool) -> list[int]:
    """Where rich breaks a line of `text` to fit `width` (rich._wrap.divide_line)."""
    breaks: list[int] = []
    offset = 0
    for match in re.finditer(r"\s*\S+\s*", text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if fold:
                pieces = [word[i:i + width] for i in range(0, len(word), width)]
                for piece in pieces[:-1]:
                    if start:
                        breaks.append(start)
                    start += len(piece)
                if start:
                    breaks.append(start)
                offset = len(pieces[-1])
            else:
                if start:
                    breaks.append(start)
                offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _fit(line: str, width: int, overflow: str) -> str:
    """`line` cut to `width` as rich.text.Text.truncate does."""
    if len(line) <= width:
        return line
    if overflow == "ellipsis":
        return line[:max(width - 1, 0)].ljust(width - 1) + "…"
    return line[:width]


def _wrap(text: str, width: int, overflow: str = "fold", no_wrap: bool = False) -> list[str]:
    """The lines of `text` wrapped to `width` (rich.text.Text.wrap), not padded."""
    lines = []
    for line in text.split("\n"):
        if no_wrap:
            pieces = [line]
        else:
            cuts = [0, *_divide(line, width, overflow == "fold"), len(line)]
            pieces = [line[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
            for i, piece in enumerate(pieces):
                if len(piece) > width:  # rstrip_end: trailing blanks beyond the width go
                    blanks = len(piece) - len(piece.rstrip())
                    pieces[i] = piece[:len(piece) - min(blanks, len(piece) - width)]
        lines += [_fit(piece, width, overflow) for piece in pieces]
    return lines


def _measure(text: str | None, width: int) -> tuple[int, int]:
    """rich's Measurement.get of a text (None: rich.columns.Columns, which has no measure) in `width`."""
    if width < 1:
        return 0, 0
    if text is None:
        return 0, width
    lines, words = text.splitlines(), text.split()
    longest = max(map(len, lines)) if lines else 0
    least = max(map(len, words)) if words else longest
    least, longest = min(max(0, least), longest), max(0, longest)
    least, longest = min(least, width), min(longest, width)
    return (0, 0) if longest < 1 else (least, longest)


def _measure_padded(text: str | None, pads: int, width: int) -> tuple[int, int]:
    """Measurement.get of rich.padding.Padding(text) with `pads` cells left and right in all."""
    if width < 1:
        return 0, 0
    if width - pads < 1:
        least, longest = width, width
    else:
        least, longest = _measure(text, width)
        least, longest = min(least + pads, width), min(longest + pads, width)
    least = min(max(0, least), longest)
    longest = max(0, least, longest)
    return (0, 0) if min(longest, width) < 1 else (min(least, width), min(longest, width))


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    left, result = sum(ratios), []
    if not left:
        return values[:]
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and left > 0:
            given = min(maximum, round(ratio * total / left))
            result.append(value - given)
            total -= given
            left -= ratio
        else:
            result.append(value)
    return result


def _ratio_distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    if minimums:
        ratios = [r if m else 0 for r, m in zip(ratios, minimums, strict=True)]
    left, result = sum(ratios), []
    if left <= 0:
        raise NotImplementedError("no ratio")
    for ratio, minimum in zip(ratios, minimums or [0] * len(ratios), strict=True):
        given = max(minimum, math.ceil(ratio * total / left)) if left > 0 else total
        result.append(given)
        left -= ratio
        total -= given
    return result


def _collapse(widths: list[int], wrapable: list[bool], width: int) -> list[int]:
    """rich.table.Table._collapse_widths."""
    total = sum(widths)
    excess = total - width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, ok in zip(widths, wrapable, strict=True) if ok)
            second = max(w if ok and w != widest else 0 for w, ok in zip(widths, wrapable, strict=True))
            ratios = [1 if w == widest and ok else 0 for w, ok in zip(widths, wrapable, strict=True)]
            if not any(ratios) or not widest - second:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
            total = sum(widths)
            excess = total - width
    return widths


class _Column:
    """A column of a rich table: its cells (None: Columns of help pieces), fixed width, options."""

    def __init__(self, cells: list[Any], *, fixed: int | None = None, ratio: int | None = None,
                 no_wrap: bool = False, overflow: str = "ellipsis") -> None:
        self.cells, self.fixed, self.ratio = cells, fixed, ratio
        self.no_wrap, self.overflow = no_wrap, overflow


def _measure_cell(cell: Any, pads: int, width: int) -> tuple[int, int]:
    if isinstance(cell, list):  # help pieces: rich.columns.Columns, measured as the whole width
        return _measure_padded(None, pads, width)
    return _measure_padded(cell[0], pads, width)


def _widths(columns: list[_Column], pads: list[tuple[int, int]], width: int, expand: bool) -> list[int]:
    """rich.table.Table._calculate_column_widths (no box, no header)."""
    def measure(column: _Column, pad: tuple[int, int], room: int) -> tuple[int, int]:
        if room < 1:
            return 0, 0
        if column.fixed is not None:
            fixed = column.fixed + sum(pad)
            return min(fixed, room), min(fixed, room)
        sizes = [_measure_cell(cell, sum(pad), room) for cell in column.cells]
        least = max((s[0] for s in sizes), default=1)
        longest = max((s[1] for s in sizes), default=room)
        return min(least, room), min(longest, room)

    ranges = [measure(c, p, width) for c, p in zip(columns, pads, strict=True)]
    widths = [r[1] or 1 for r in ranges]
    if expand:
        ratios = [c.ratio or 0 for c in columns if c.ratio is not None]
        if any(ratios):
            fixed = [0 if c.ratio is not None else r[1] for r, c in zip(ranges, columns, strict=True)]
            minimums = [(c.fixed or 1) + sum(p) for c, p in zip(columns, pads, strict=True)
                        if c.ratio is not None]
            flexible = iter(_ratio_distribute(width - sum(fixed), ratios, minimums))
            widths = [f + next(flexible) if c.ratio is not None else w
                      for f, c, w in zip(fixed, columns, widths, strict=True)]
    total = sum(widths)
    if total > width:
        widths = _collapse(widths, [c.fixed is None and not c.no_wrap for c in columns], width)
        total = sum(widths)
        if total > width:
            widths = _ratio_reduce(total - width, [1] * len(widths), widths, widths)
            total = sum(widths)
        widths = [measure(c, p, w)[1] or 0 for c, p, w in zip(columns, pads, widths, strict=True)]
    if total < width and expand:  # (the total before that last measure, as rich has it)
        widths = [w + pad for w, pad in zip(widths, _ratio_distribute(width - total, widths), strict=True)]
    return widths


def _cell_lines(cell: Any, left: int, right: int, width: int, column: _Column) -> list[str]:
    """A cell (text, overflow) or help pieces in rich.padding.Padding, `width` cells wide in all."""
    inner = width - left - right
    if inner < 1:  # rich renders nothing in no room: the row's other cells give its height
        return []
    if isinstance(cell, list):
        lines = _pieces(cell, inner)
    else:
        text, overflow = cell
        lines = _wrap(text, inner, overflow or column.overflow, column.no_wrap)
    return [" " * left + line[:inner].ljust(inner) + " " * right for line in lines]


def _table(columns: list[_Column], width: int, *, expand: bool, collapse: bool) -> list[str]:
    """The lines of a rich table without box or header, padding (0, 1), edges unpadded."""
    last = len(columns) - 1
    if collapse:  # rich's collapse_padding: one cell between columns, on the right of the first
        pads = [(0, 0 if j == last else 1) for j in range(len(columns))]
    else:
        pads = [(0 if j == 0 else 1, 0 if j == last else 1) for j in range(len(columns))]
    widths = _widths(columns, pads, width, expand)
    lines = []
    for row in zip(*(c.cells for c in columns), strict=True):
        cells = [_cell_lines(cell, *pad, w, c)
                 for cell, pad, w, c in zip(row, pads, widths, columns, strict=True)]
        height = max(1, *map(len, cells))
        lines += ["".join(cell[i] if i < len(cell) else " " * w
                          for cell, w in zip(cells, widths, strict=True)) for i in range(height)]
    return lines


def _pieces(pieces: list[str], width: int) -> list[str]:
    """The help pieces of an option (text, default, [required]) as rich.columns.Columns lays them out."""
    if not pieces:
        return []
    sizes = [_measure(p, width)[1] for p in pieces]
    count = len(pieces)

    def placed(count: int) -> list[tuple[int, str | None]]:
        return [*zip(sizes, pieces, strict=True), *[(0, None)] * ((count - len(pieces) % count) % count)]

    while count > 1:
        widths: dict[int, int] = {}
        column = 0
        for size, _ in placed(count):
            widths[column] = max(widths.get(column, 0), size)
            if sum(widths.values()) + len(widths) - 1 > width:
                count = len(widths) - 1
                break
            column = (column + 1) % count
        else:
            break
    cells = [("" if piece is None else piece, None) for _, piece in placed(count)]
    columns = [_Column(cells[j::count]) for j in range(count)]
    return _table(columns, width, expand=False, collapse=True)


def _panel(title: str, lines: list[str], width: int) -> list[str]:
    """rich.panel.Panel (rounded box, title on the left, padding (0, 1)) around `lines`."""
    title = f" {title} "[:width - 4]
    top = "╭─" + title + "─" * (width - 4 - len(title)) + "─╮" if width > 4 else "╭" + "─" * (width - 2) + "╮"
    body = [f"│ {line[:width - 4].ljust(width - 4)} │" for line in lines]
    return [top, *body, "╰" + "─" * (width - 2) + "╯"]


def plain(page: dict[str, Any], width: int) -> str:
    """The page as typer's rich help prints it without escape codes, `width` cells wide."""
    if width < 10:
        raise NotImplementedError("narrower than any panel")
    inner = width - 2
    usage = [f" {line[:inner].ljust(inner)} " for line in _wrap(page["usage"], inner)]
    out = [" " * width, *usage, " " * width]
    if page["help"]:
        texts = [item[-1] for item in page["help"]]
        if len(texts) > 1:
            texts.insert(1, "")
        out += [f" {line[:inner].ljust(inner)} " for text in texts for line in _wrap(text, inner)]
        out.append(" " * width)
    for panel in page["panels"]:
        required = any(row["required"] for row in panel["rows"])
        rows = panel["rows"]
        columns = [_Column([(name, None) for name in names]) for names in zip(*(r["names"] for r in rows),
                                                                                strict=True)]
        columns.append(_Column([(r["type"], "fold") for r in rows]))
        columns.append(_Column([[part[-1] for part in r["help"]] for r in rows]))
        if required:
            columns.insert(0, _Column([("*" if r["required"] else "", None) for r in rows]))
        out += _panel(panel["title"], _table(columns, width - 4, expand=True, collapse=False), width)
    for panel in page["commands"]:
        names = _Column([(row[0], None) for row in panel["rows"]], fixed=page["command_width"], no_wrap=True)
        columns = [names, _Column([(row[-1], None) for row in panel["rows"]], ratio=10)]
        out += _panel(panel["title"], _table(columns, width - 4, expand=True, collapse=False), width)
    return "\n".join(out) + "\n\n"
