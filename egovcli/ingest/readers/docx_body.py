"""A Word body's text, read in one pass at C level: an XSLT stylesheet (libxslt) walks the <w:body>
and writes its paragraphs' texts and its tables' cells as one string, which `blocks` cuts into
paragraphs (str) and tables (`Table`): no lxml element is made in Python for a run, a cell or a
paragraph (a walk over the tree in Python made some five per cell).

A plain body — paragraphs of runs of text, tabs, line breaks and tick boxes, in the body or in the
cells of its tables and of the tables in their cells, those paragraphs and tables in content
controls too (no link, simple field, tracked change, text box, nor content control in a
paragraph, a row or a cell's place) — is read by `_plain_blocks` instead: one pass over lxml's
C-level iteration of its paragraphs, texts, tables, rows and cells (each checked to sit where a
plain body has it) costs less than the stylesheet's template per node and the cutting of its
string. Anything else there hands the body to the stylesheet, which reads every shape.

What a paragraph's text is: its runs (in links, insertions, moves to, fields, smart tags, content
controls too), with tabs, line breaks (not page or column breaks) and tick boxes (Wingdings symbols,
legacy form checkboxes); deleted and moved-away text, field codes and text boxes are not part of it.
A <w:t>'s text is its text before any child node (lxml's `.text`).

Records are cut by a control character, which no XML document can hold (not even as a character
reference), so no text can be mistaken for one: "p" a paragraph, "t" a table, "c" one of its cells
(<w:tc> of its <w:tr>, in order: the cells python-docx lays out), "m" that cell's merge (from its
first <w:tcPr>: whether it continues a vertical merge, its first grid span as written), "f" a
paragraph of a nested table in document order (all of them, text boxes' included: a table in a
cell is part of that cell's text), "e" the end of a table.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from egovcli.values import WINGDINGS_EMPTY, WINGDINGS_TICKED

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TICKED, _EMPTY = "☒", "□"
# the layout depth the reader opens tables to: deeper tables are only read as nested tables' text
MAX_LAYOUT_DEPTH = 5
_EGOV = "urn:x-egov:docx"  # egov's own attribute: a table's place, when python-docx lays tables out
_INDEX = f"{{{_EGOV}}}index"
_SEP = "\x01"  # (EXSLT's decode-uri makes it: an XSLT stylesheet cannot hold it either)
_RUN_HOLDERS = "|".join(  # inline elements whose runs are part of the paragraph's text
    f"w:{tag}"
    for tag in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml")
)
_BLOCK_HOLDERS = "w:sdt|w:sdtContent|w:customXml"  # content controls around paragraphs and tables


def _symbols(chars: str) -> str:
    """An XPath test: the symbol's `w:char` code, upper-cased, is one of `chars` (Wingdings "F0FE")."""
    return " or ".join(f"$c='{ord(c):04X}'" for c in chars)


_STYLESHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:w="{_W}" xmlns:egov="{_EGOV}" xmlns:str="http://exslt.org/strings" extension-element-prefixes="str">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:variable name="s" select="str:decode-uri('%01')"/>
<xsl:variable name="p" select="concat($s, 'p')"/>
<xsl:variable name="c" select="concat($s, 'c')"/>
<xsl:template match="/"><xsl:apply-templates select="*/node()" mode="block"/></xsl:template>

<xsl:template match="w:p" mode="block">
  <xsl:value-of select="$p"/><xsl:apply-templates mode="run"/>
</xsl:template>
<xsl:template match="{_BLOCK_HOLDERS}" mode="block"><xsl:apply-templates mode="block"/></xsl:template>
<xsl:template match="w:tbl" mode="block">
  <xsl:variable name="level" select="count(ancestor::w:tbl)"/>
  <xsl:value-of select="concat($s, 't', count(w:tblGrid[1]/w:gridCol), ',', number(boolean(.//w:tbl)), ',')"/>
  <xsl:value-of select="@egov:index"/>
  <xsl:if test="$level &lt;= {MAX_LAYOUT_DEPTH}">
    <xsl:for-each select="w:tr/w:tc">
      <xsl:value-of select="$c"/><xsl:apply-templates mode="block"/>
    </xsl:for-each>
  </xsl:if>
  <xsl:if test="$level &gt; 0">
    <xsl:for-each select=".//w:p">
      <xsl:value-of select="concat($s, 'f')"/><xsl:apply-templates mode="run"/>
    </xsl:for-each>
  </xsl:if>
  <xsl:value-of select="concat($s, 'e')"/>
</xsl:template>
<xsl:template match="w:tc/w:tcPr[1]" mode="block">
  <xsl:if test="w:gridSpan or w:vMerge">
    <xsl:value-of select="concat($s, 'm', number(boolean(w:vMerge[1][not(@w:val) or @w:val='continue'])),
      w:gridSpan[1]/@w:val)"/>
  </xsl:if>
</xsl:template>
<xsl:template match="node()" mode="block"/>

<xsl:template match="w:r" mode="run"><xsl:apply-templates mode="item"/></xsl:template>
<xsl:template match="{_RUN_HOLDERS}" mode="run"><xsl:apply-templates mode="run"/></xsl:template>
<xsl:template match="node()" mode="run"/>

<xsl:template match="w:t" mode="item"><xsl:value-of select="node()[1][self::text()]"/></xsl:template>
<xsl:template match="w:tab" mode="item"><xsl:text>&#9;</xsl:text></xsl:template>
<xsl:template match="w:br|w:cr" mode="item">
  <xsl:if test="not(@w:type) or @w:type='textWrapping'"><xsl:text>&#10;</xsl:text></xsl:if>
</xsl:template>
<xsl:template match="w:sym" mode="item">
  <xsl:variable name="c" select="translate(@w:char, 'abcdef', 'ABCDEF')"/>
  <xsl:choose>
    <xsl:when test="{_symbols(WINGDINGS_TICKED)}">{_TICKED}</xsl:when>
    <xsl:when test="{_symbols(WINGDINGS_EMPTY)}">{_EMPTY}</xsl:when>
  </xsl:choose>
</xsl:template>
<xsl:template match="w:fldChar" mode="item">
  <xsl:for-each select="(w:ffData/w:checkBox)[1]">
    <xsl:choose>
      <xsl:when test="w:checked[1][@w:val='0' or @w:val='false' or @w:val='off']">{_EMPTY}</xsl:when>
      <xsl:when test="w:checked">{_TICKED}</xsl:when>
      <xsl:when test="w:default[1][@w:val='1' or @w:val='true' or @w:val='on']">{_TICKED}</xsl:when>
      <xsl:otherwise>{_EMPTY}</xsl:otherwise>
    </xsl:choose>
  </xsl:for-each>
</xsl:template>
<xsl:template match="node()" mode="item"/>
</xsl:stylesheet>"""
_TRANSFORM = etree.XSLT(etree.XML(_STYLESHEET))


class Table:
    """One table of the body (or of a cell, up to `MAX_LAYOUT_DEPTH` levels down): its grid's width
    (<w:gridCol>s), whether a table is nested in it, its cells (<w:tc> of its rows in order: each
    one's blocks, and how it merges: `continues` a vertical merge, its grid span as written, "" for
    none), its own paragraphs when it is nested (`flat`), and its place among the document's
    tables (`index`, as `number_tables` wrote it, "" if it did not: python-docx lays it out then)."""

    __slots__ = ("width", "nested", "index", "cells", "continues", "spans", "flat")

    def __init__(self, header: str) -> None:
        width, nested, self.index = header.split(",", 2)  # (an index as written, whatever it holds)
        self.width, self.nested = int(width), nested == "1"
        self.cells: list[list[Block]] = []
        self.continues: list[bool] = []
        self.spans: list[str] = []
        self.flat: list[str] = []


Block = str | Table  # a paragraph's text, or a table


def number_tables(body: Any) -> list[Any]:
    """The body's <w:tbl> elements in document order, each marked with its place in that list
    (`Table.index`): the body of a document whose tables python-docx lays out is marked first."""
    tables = list(body.iter(f"{{{_W}}}tbl"))
    for at, tbl in enumerate(tables):
        tbl.set(_INDEX, str(at))
    return tables


def blocks(body: Any) -> list[Block]:
    """The paragraphs and tables of a <w:body>, in order (those in content controls too)."""
    plain = _plain_blocks(body)
    return _transformed_blocks(body) if plain is None else plain


def laid_out_blocks(body: Any) -> list[Block] | None:
    """`blocks` of a body whose tables the light path lays out; None for one with an `unusual`
    table (python-docx reads those). A plain body is told so in its own pass."""
    plain = _plain_blocks(body, laid_out=True)
    if plain is _UNUSUAL:
        return None
    if plain is not None:
        return plain
    return None if unusual(body) else _transformed_blocks(body)


def unusual(body: Any) -> bool:
    """A table shape the light path leaves to python-docx: a table without a grid, or a cell span
    that is no number (python-docx refuses both; its message says what is wrong)."""
    for element in body.iter(_TBL, _GRID_SPAN):  # (one pass over the body for both)
        if element.tag == _TBL:
            if element.find(_TBL_GRID) is None:
                return True
            continue
        try:
            int(element.get(_VAL))
        except (TypeError, ValueError):
            return True
    return False


_UNUSUAL: list[Block] = []  # what the plain pass returns on meeting an `unusual` table (by identity)


_P, _T, _TC, _TR, _TBL, _TAB, _BR, _CR, _SYM, _FLD_CHAR, _GRID_SPAN, _V_MERGE = _PLAIN_TAGS = tuple(
    f"{{{_W}}}{tag}"
    for tag in ("p", "t", "tc", "tr", "tbl", "tab", "br", "cr", "sym", "fldChar", "gridSpan", "vMerge")
)
_R, _TABS, _TC_PR, _TBL_GRID, _GRID_COL, _VAL, _TYPE, _CHAR = (
    f"{{{_W}}}{tag}" for tag in ("r", "tabs", "tcPr", "tblGrid", "gridCol", "val", "type", "char")
)
_FF_DATA, _CHECK_BOX, _CHECKED, _DEFAULT = (
    f"{{{_W}}}{tag}" for tag in ("ffData", "checkBox", "checked", "default")
)
# the block holders the stylesheet reads through (`_BLOCK_HOLDERS`)
_SDT_TAGS = tuple(f"{{{_W}}}{tag}" for tag in ("sdt", "sdtContent", "customXml"))
# a Wingdings symbol's `w:char` code, upper-cased, and what it reads as (ticked before empty, as in
# the stylesheet)
_SYMBOLS = {f"{ord(c):04X}": _EMPTY for c in WINGDINGS_EMPTY}
_SYMBOLS.update({f"{ord(c):04X}": _TICKED for c in WINGDINGS_TICKED})
_HEX_UPPER = str.maketrans("abcdef", "ABCDEF")  # (XPath's translate() in the stylesheet)
_LINE_BREAKS = (None, "textWrapping")  # a <w:br>/<w:cr> of no type or this one (no page or column break)


def _plain_blocks(body: Any, laid_out: bool = False) -> list[Block] | None:
    """The blocks of a plain body (the module's docstring), exactly as the stylesheet writes them;
    None as soon as an element sits where a plain body has none. Each element is checked against
    its parent: a text's (a tab's, a break's, a tick box's) must be a run of the paragraph read, a
    paragraph's the body or a cell being read (or content controls there, around it), a table's
    too, a cell's a row being read, a row's a table being read (a paragraph of a text box or of a
    content control's properties is none of them), so no text is read from a place the
    stylesheet leaves out. (A run is only seen through its items: one without text adds none,
    wherever it is.) When the light path is to lay its tables out (`laid_out`), an `unusual` one
    ends it: `_UNUSUAL` (a plain pass sees every table and span).

    A paragraph's text is written where it belongs when the next paragraph or table begins (or
    the body ends): nothing else is added to a list of blocks in between."""
    out: list[Block] = []
    into = out  # the blocks of the body or of the cell read (a list nobody reads: a cell not kept)
    texts: list[str] = []  # those of the paragraph read, written then to `holder` and to `its_flats`
    holder: list[Block] = []  # where it goes (before the first, once a table begins: a list nobody reads)
    its_flats: tuple[list[str], ...] = ()
    table: Table | None = None  # the innermost table being read (at `len(outer)` tables deep)
    paragraph = run = row = cell = tbl = None
    kept = True  # the cells of `table` are kept (it is no deeper than MAX_LAYOUT_DEPTH)
    outer: list[tuple[Any, ...]] = []  # the tables around it: (table, tbl, row, cell, into, kept, flats)
    flats: tuple[list[str], ...] = ()  # the paragraphs of each table in a cell, around it or itself
    for element in body.iter(_PLAIN_TAGS):
        tag = element.tag
        if tag == _T:
            if (parent := element.getparent()) is not run:  # the first item of a run
                if parent.getparent() is not paragraph or parent.tag != _R:
                    return None
                run = parent
            if (text := element.text) is not None:
                texts.append(text)
        elif tag == _P:
            if (parent := element.getparent()) is not cell:
                while parent.tag in _SDT_TAGS:  # (a content control around paragraphs)
                    parent = parent.getparent()
                if parent is body:
                    if table is not None:  # the tables before it ended
                        into, table, cell, kept, outer, flats = out, None, None, True, [], ()
                else:
                    while outer and parent is not cell:  # the tables in the cell before it ended
                        table, tbl, row, cell, into, kept, flats = outer.pop()
                    if parent is not cell:
                        return None
            holder.append(text := "".join(texts))
            if its_flats:
                for flat in its_flats:
                    flat.append(text)
            texts = []
            holder = into
            its_flats = flats
            paragraph = element
        elif tag == _TC:
            if (parent := element.getparent()) is not row or table is None:
                while outer and parent is not row:  # the tables in the cell before it ended
                    table, tbl, row, cell, into, kept, flats = outer.pop()
                if parent is not row or table is None:
                    return None
            into = []
            if kept:
                table.cells.append(into)
                table.continues.append(False)
                table.spans.append("")
            cell = element
        elif tag == _TR:
            if (parent := element.getparent()) is not tbl:
                while outer and parent is not tbl:  # the tables in the cell before it ended
                    table, tbl, row, cell, into, kept, flats = outer.pop()
                if parent is not tbl:
                    return None
            row, cell = element, None
        elif tag == _TBL:
            parent = element.getparent()
            while parent.tag in _SDT_TAGS:  # (a content control around tables)
                parent = parent.getparent()
            if parent is body:
                if table is not None:
                    into, table, cell, kept, outer, flats = out, None, None, True, [], ()
            else:
                while outer and parent is not cell:
                    table, tbl, row, cell, into, kept, flats = outer.pop()
                if table is None or parent is not cell:
                    return None
            grid = next(element.iterchildren(_TBL_GRID), None)
            if grid is None and laid_out:
                return _UNUSUAL
            width = 0 if grid is None else sum(1 for _ in grid.iterchildren(_GRID_COL))
            inner = Table(f"{width},0,{element.get(_INDEX) or ''}")
            holder.append(text := "".join(texts))  # (the paragraph before it)
            for flat in its_flats:
                flat.append(text)
            texts, holder, its_flats = [], [], ()
            into.append(inner)
            if table is not None:  # a table in a cell of `table`
                table.nested = True
                outer.append((table, tbl, row, cell, into, kept, flats))
                flats = (*flats, inner.flat)
            table, tbl, row, cell = inner, element, None, None
            kept = len(outer) <= MAX_LAYOUT_DEPTH
        elif tag == _TAB:
            parent = element.getparent()
            if parent.tag == _TABS:  # (a tab stop of a paragraph's properties is no text)
                continue
            if parent is not run:
                if parent.getparent() is not paragraph or parent.tag != _R:
                    return None
                run = parent
            texts.append("\t")
        elif tag in (_BR, _CR):
            if (parent := element.getparent()) is not run:
                if parent.getparent() is not paragraph or parent.tag != _R:
                    return None
                run = parent
            if element.get(_TYPE) in _LINE_BREAKS:
                texts.append("\n")
        elif tag in (_GRID_SPAN, _V_MERGE):
            properties = element.getparent()
            if table is None or properties.tag != _TC_PR or properties.getparent() is not cell:
                return None
            if tag == _GRID_SPAN and laid_out:
                try:
                    int(element.get(_VAL))
                except (TypeError, ValueError):
                    return _UNUSUAL
            # the first of each in the cell's first <w:tcPr> says how it merges (as in the stylesheet)
            first = next(cell.iterchildren(_TC_PR)) is properties
            if kept and first and next(properties.iterchildren(tag)) is element:
                if tag == _GRID_SPAN:
                    table.spans[-1] = element.get(_VAL) or ""
                else:
                    table.continues[-1] = element.get(_VAL) in (None, "continue")
        else:  # a tick box: a symbol, or a form checkbox's field
            if (parent := element.getparent()) is not run:
                if parent.getparent() is not paragraph or parent.tag != _R:
                    return None
                run = parent
            if tag == _SYM:
                code = (element.get(_CHAR) or "").translate(_HEX_UPPER)
                if code in _SYMBOLS:
                    texts.append(_SYMBOLS[code])
            elif (box := _check_box(element)) is not None:
                texts.append(box)
    holder.append(text := "".join(texts))
    for flat in its_flats:
        flat.append(text)
    return out


def _check_box(field: Any) -> str | None:
    """A <w:fldChar>'s form checkbox as the stylesheet reads it (its first <w:checkBox> of its
    <w:ffData>s): ticked or empty by its first <w:checked>, else by its first <w:default>; None
    for a field of no checkbox."""
    box = next((box for data in field.iterchildren(_FF_DATA) for box in data.iterchildren(_CHECK_BOX)), None)
    if box is None:
        return None
    checked = next(box.iterchildren(_CHECKED), None)
    if checked is not None:
        return _EMPTY if checked.get(_VAL) in ("0", "false", "off") else _TICKED
    default = next(box.iterchildren(_DEFAULT), None)
    return _TICKED if default is not None and default.get(_VAL) in ("1", "true", "on") else _EMPTY


def _transformed_blocks(body: Any) -> list[Block]:
    """The blocks of any <w:body>, as the stylesheet writes them."""
    stream = bytes(_TRANSFORM(body)).decode()  # (str() of the result is ten times slower)
    out: list[Block] = []
    into = out  # the blocks of the body, or of the cell being read
    open_tables: list[tuple[Table, list[Block]]] = []  # each with the blocks it is in
    table: Table | None = None
    for record in stream.split(_SEP)[1:]:
        kind = record[0]
        if kind == "p":
            into.append(record[1:])
        elif kind == "c":
            assert table is not None
            into = []
            table.cells.append(into)
            table.continues.append(False)
            table.spans.append("")
        elif kind == "m":  # the cell's merge, from its first <w:tcPr>
            assert table is not None
            table.continues[-1], table.spans[-1] = record[1] == "1", record[2:]
        elif kind == "t":
            table = Table(record[1:])
            into.append(table)
            open_tables.append((table, into))
        elif kind == "f":
            assert table is not None
            table.flat.append(record[1:])
        else:  # "e": the table ends, the blocks it is in go on
            _, into = open_tables.pop()
            table = open_tables[-1][0] if open_tables else None
    return out
