"""A rule-set skeleton drafted from the criteria table of a published decision (`egov rules draft`).

The reader (`egovcli.ingest.decision`) hands over the table's rows with their criterion paths
(the TT numbering I, II…; II.1; 1, 2…; 1.1…; a, b…, as ingest reads self-scores); this module turns
them into the YAML of docs/rules.md: sections and subsections, headings, one criterion per scored
row with its label, maximum, "cách tính" text kept verbatim, evidence and data source columns, and
a formula read from the text where it is a common wording (`formula_text.infer`). Every choice a
person must still make is a `todo:` on the row concerned, which `egov rules validate` lists
(W-RULES-TODO); nothing is silently decided.

A numbered row that has a maximum and scored rows under it (DTI: chỉ số thành phần over their
items) becomes a subsection when every scored row of its section sits under such a row; otherwise
it becomes a heading and its printed maximum is named in a to-do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from egovcli.rules.formula_parser import PARSERS
from egovcli.rules.formula_text import UNKNOWN, infer
from egovcli.textnorm import fold, nfc
from egovcli.values import parse_number

_SMALL_PART = re.compile(r"^\d{1,3}(?:[.,]\d+)?$")
_YEAR = re.compile(r"\b(20\d{2})\b")
_EPS = 1e-6
_TITLE = r"(?:ban hanh )?bo (?:chi so|tieu chi)\b"  # "Bộ chỉ số đánh giá …", "… ban hành Bộ tiêu chí …"
_TITLE_LENGTH = 300
_BARE = frozenset({*PARSERS, "max", "ratio", "ratio_over"})  # written unquoted in a formula


@dataclass(frozen=True, slots=True)
class PrintedRow:
    """One row of a printed criteria table: its criterion path ("I", "II.1", "I.3.1", "TOTAL"),
    kind ("section", "heading", "scored", "total"), the cells as printed and where it is."""

    path: str
    kind: str
    tt: str
    label: str
    max: str = ""
    method: str = ""  # "Cách xác định và tính điểm" / "Cách tính"
    evidence: str = ""  # "Tài liệu kiểm chứng"
    data_source: str = ""  # "Nguồn" / "Đơn vị phối hợp xác minh"
    location: str = ""


@dataclass(slots=True)
class _Node:
    """A section, subsection, heading or criterion being drafted."""

    path: str
    row: PrintedRow
    max: float | None
    parts: str = ""  # "5 + 5 + 5" when the maximum was printed in parts
    order: int = 0  # the row's place in the table
    todos: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Draft:
    """The drafted YAML and what it holds."""

    text: str
    sections: int
    criteria: int
    inferred: int  # criteria with a formula read from their text
    manual: int  # criteria left `manual`


def draft_rule_set(rows: Sequence[PrintedRow], *, name: str, source: str, lines: Sequence[str] = ()) -> Draft:
    """The YAML of a rule-set skeleton for `rows` (one criteria table, in printed order); `source`
    names the decision file, `lines` are the document's other text (its title and year)."""
    sections: dict[str, _Node] = {}
    subsections: dict[str, list[_Node]] = {}
    headings: list[_Node] = []
    scored: list[_Node] = []
    total: _Node | None = None
    unnumbered = 0  # scored rows without a number (ids R1, R2 … to choose)
    for order, row in enumerate(rows):
        node = _node(row)
        node.order = order
        if row.kind == "total":
            total = node
        elif row.kind == "section" and "." not in row.path:
            sections[row.path] = node
            subsections.setdefault(row.path, [])
        elif row.kind == "section":
            parent = row.path.split(".")[0]
            if parent not in sections:
                sections[parent] = _missing_section(parent, row)
                subsections[parent] = []
            subsections[parent].append(node)
        elif row.kind == "heading":
            headings.append(node)
        else:
            if not node.path or node.path.split(".")[0] not in sections:
                unnumbered += 0 if node.path else 1
                _place_loose(node, unnumbered, sections, subsections)
            scored.append(node)
    criteria = _promote_parents(scored, sections, subsections, headings)
    _fill_maxima(sections, subsections, criteria)
    return _write(name, source, lines, sections, subsections, headings, criteria, total)


def _node(row: PrintedRow) -> _Node:
    """A node with its maximum read: a number, "5 5 5" (parts, added up), or None when blank."""
    printed = nfc(row.max)
    node = _Node(row.path, row, None)
    if not printed:
        return node
    parts = printed.split()
    if len(parts) > 1 and all(_SMALL_PART.match(p) for p in parts):
        node.max = sum(parse_number(p) or 0.0 for p in parts)
        node.parts = " + ".join(parts)
    else:
        node.max = parse_number(printed)
        if node.max is None:
            node.todos.append(f"điểm tối đa in là '{printed}', không đọc được thành số: ghi max")
    return node


def _missing_section(sid: str, row: PrintedRow) -> _Node:
    node = _Node(sid, PrintedRow(sid, "section", sid, f"(mục {sid})", location=row.location), None)
    node.todos.append(f"bảng không có dòng mục {sid}: ghi tên (title) và điểm tối đa của mục")
    return node


def _place_loose(criterion: _Node, index: int, sections: dict[str, _Node],
                 subsections: dict[str, list[_Node]]) -> None:
    """A scored row outside every section (a table without roman rows) or without a number: put
    under the section it is printed in (or a section "I" made for it), an id to choose if need be."""
    if not sections:
        sections["I"] = _missing_section("I", criterion.row)
        subsections["I"] = []
    sid = next(reversed(sections))
    if criterion.path:
        criterion.path = f"{sid}.{criterion.path}"
    else:
        criterion.path = f"{sid}.R{index}"
        criterion.todos.append(f"dòng không có số thứ tự (TT) ({criterion.row.location}): đặt id")


def _promote_parents(scored: list[_Node], sections: dict[str, _Node], subsections: dict[str, list[_Node]],
                     headings: list[_Node]) -> list[_Node]:
    """Scored rows whose scored rows under them add up to their maximum are groups: subsections
    (all of a section's, when every scored row there is under one) or else headings. A row whose
    rows under it add up to something else is a criterion of its own, like them (Hà Nam III.2.5:
    10 points, and 5.1, 5.2 with 10 each). Returns the criteria left, in printed order."""
    def under(parent: _Node) -> list[_Node]:
        return [c for c in scored if c.path.startswith(parent.path + ".")]

    groups: set[str] = set()
    for node in scored:
        children = under(node)
        if not children:
            continue
        # only the rows right under it count: a deeper row is inside one of them
        direct = [c for c in children if not any(c.path.startswith(o.path + ".") for o in children)]
        added = sum(c.max or 0.0 for c in direct)
        if node.max is not None and abs(added - node.max) < _EPS:
            groups.add(node.path)
        else:
            node.todos.append(f"dòng này ({_points(node.max)} điểm) và các dòng dưới nó (cộng lại {added:g})"
                              " đều có điểm tối đa: đã ghi thành các tiêu chí riêng; kiểm tra")
    promoted: set[str] = set()
    for sid in sections:
        tops = {p for p in groups if p.count(".") == 1 and p.startswith(sid + ".")}
        mine = [c.path for c in scored if c.path.startswith(sid + ".")]
        if not subsections.get(sid) and tops and all(
                p in tops or any(p.startswith(t + ".") for t in tops) for p in mine):
            subsections[sid] = [c for c in scored if c.path in tops]
            promoted |= tops
    for node in scored:
        if node.path in groups and node.path not in promoted:
            node.todos.append(f"dòng có điểm tối đa {_points(node.max)} bằng tổng các dòng dưới nó: đã ghi"
                              " thành dòng tiêu đề (headings), các dòng dưới nó là tiêu chí")
            headings.append(node)
    return [c for c in scored if c.path not in groups]


def _fill_maxima(sections: dict[str, _Node], subsections: dict[str, list[_Node]],
                 criteria: list[_Node]) -> None:
    """A section or subsection printed without a maximum gets the sum of what is under it."""
    for sid, section in sections.items():
        for sub in subsections.get(sid, []):
            if sub.max is None:
                sub.max = sum(c.max or 0.0 for c in criteria if c.path.startswith(sub.path + "."))
                sub.todos.append(f"tiểu mục không in điểm tối đa: đã ghi tổng các tiêu chí ({sub.max:g})")
        if section.max is None:
            section.max = sum(c.max or 0.0 for c in criteria if c.path.startswith(sid + "."))
            section.todos.append(f"mục không in điểm tối đa: đã ghi tổng các tiêu chí ({section.max:g})")


def _points(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


# --- YAML ----------------------------------------------------------------------------------------
def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), Vietnamese kept as is."""
    return json.dumps(value, ensure_ascii=False)


def _num(value: float | None) -> str:
    return "0" if value is None else f"{value:g}"


def _flow(value: Any) -> str:
    """A formula mapping as one YAML flow line: {type: banded, of: "?", bands: [{…}, …]}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value) if value in _BARE else _q(str(value))


def _todo(out: list[str], indent: str, todos: list[str]) -> None:
    if todos:
        out.append(f"{indent}todo: {_q('; '.join(todos))}")


def _title(lines: Sequence[str], source: str) -> tuple[str, str, list[str]]:
    """The decision's title ("Bộ chỉ số/tiêu chí …" as printed), its year, and the to-dos left."""
    todos = []
    titles = [nfc(t) for t in lines if len(t) <= _TITLE_LENGTH and re.search(_TITLE, fold(t))]
    found = next((t for t in titles if re.match(_TITLE, fold(t))), titles[0] if titles else "")
    if not found:
        found = f"Bộ tiêu chí theo {source}"
        todos.append("không thấy tên bộ tiêu chí trong văn bản: ghi title")
    year = _YEAR.search(found) or next((y for t in lines if (y := _YEAR.search(t))), None)
    if year is None:
        todos.append("không thấy năm: ghi period")
    else:
        todos.append(f"kiểm tra năm áp dụng (period {year.group(1)}) và tên (title)")
    return found, year.group(1) if year else "", todos


def _write(name: str, source: str, lines: Sequence[str], sections: dict[str, _Node],
           subsections: dict[str, list[_Node]], headings: list[_Node], criteria: list[_Node],
           total: _Node | None) -> Draft:
    out = _top(name, source, lines, sections, criteria, total)
    out += ["", "sections:"]
    for sid, section in sections.items():
        out += _section(section, subsections.get(sid, []))
    if headings:
        out += ["", "headings:  # dòng không chấm điểm của bảng"]
        out += [_heading(h) for h in sorted(headings, key=lambda h: h.order)]
    out += ["", "criteria:"]
    inferred = 0
    for criterion in criteria:
        sid = criterion.path.split(".")[0]
        subs = subsections.get(sid, [])
        parent = next((s.path for s in subs if criterion.path.startswith(s.path + ".")), "")
        written, was_inferred = _criterion(criterion, sid, parent if subs else None)
        out += written
        inferred += was_inferred
    return Draft("\n".join(out) + "\n", len(sections), len(criteria), inferred, len(criteria) - inferred)


_PREAMBLE = (
    "# Nhãn, điểm tối đa và cách tính (formula_text) giữ nguyên như in. Mỗi `todo:` là một việc còn",
    "# phải làm; `egov rules validate` liệt kê tất cả (W-RULES-TODO). Xoá `todo:` khi đã làm xong.",
    "# Công thức suy ra từ cách tính (ratio, yes_no, per_item, banded) có ghi chú \"suy ra\"; khi còn",
    "# thiếu chỉ tiêu, nó nằm ở draft_formula (chỉ tiêu \"?\") và tiêu chí tạm chấm theo điểm tự đánh",
    "# giá (manual). Xem docs/rules.md §14.",
)


def _top(name: str, source: str, lines: Sequence[str], sections: dict[str, _Node], criteria: list[_Node],
         total: _Node | None) -> list[str]:
    title, period, todos = _title(lines, source)
    if total is not None and total.max is not None:
        max_total = total.max
    else:
        max_total = sum(s.max or 0.0 for s in sections.values())
        todos.append(f"bảng không in dòng TỔNG: max_total là tổng điểm tối đa các mục ({max_total:g})")
    out = [
        f"# Bản nháp bộ tiêu chí do `egov rules draft` soạn từ {source}: {len(sections)} mục,"
        f" {len(criteria)} tiêu chí.",
        *_PREAMBLE,
        f"name: {_q(name)}",
        f"title: {_q(title)}",
        f"period: {_q(period)}",
        f"max_total: {_num(max_total)}",
        f"source: {_q(source)}",
    ]
    _todo(out, "", todos)
    return out


def _section(section: _Node, subsections: list[_Node]) -> list[str]:
    row = section.row
    out = [f"  - id: {_q(section.path)}", f"    tt: {_q(row.tt)}", f"    title: {_q(nfc(row.label))}",
           f"    max: {_num(section.max)}"]
    todos = list(section.todos)
    if nfc(row.method):
        todos.append(f"mục có cách tính chung '{nfc(row.method)}': áp dụng cho các tiêu chí của mục")
    _todo(out, "    ", todos)
    if subsections:
        out.append("    subsections:")
    for sub in subsections:
        out += [f"      - id: {_q(sub.path)}", f"        tt: {_q(sub.row.tt)}",
                f"        title: {_q(nfc(sub.row.label))}", f"        max: {_num(sub.max)}"]
        if nfc(sub.row.method):
            out.append(f"        note: {_q(nfc(sub.row.method))}")
        parts = [f"điểm tối đa in thành phần {sub.parts}"] if sub.parts else []
        _todo(out, "        ", [*sub.todos, *parts])
    return out


def _heading(heading: _Node) -> str:
    row = heading.row
    text = f", formula_text: {_q(nfc(row.method))}" if nfc(row.method) else ""
    todo = f", todo: {_q('; '.join(heading.todos))}" if heading.todos else ""
    return f"  - {{id: {_q(heading.path)}, tt: {_q(row.tt)}, label: {_q(nfc(row.label))}{text}{todo}}}"


def _criterion(criterion: _Node, sid: str, subsection: str | None) -> tuple[list[str], bool]:
    """The criterion's YAML lines (`subsection` None: its section has none), and whether its formula
    was read from its text."""
    row = criterion.row
    out = [f"  - id: {_q(criterion.path)}", f"    tt: {_q(row.tt)}", f"    section: {_q(sid)}"]
    todos = list(criterion.todos)
    if subsection is not None:
        out.append(f"    subsection: {_q(subsection)}")
        if not subsection:
            todos.append(f"mục {sid} có tiểu mục nhưng dòng này không thuộc tiểu mục nào: ghi subsection")
    out.append(f"    label: {_q(nfc(row.label))}")
    columns = (("formula_text", row.method), ("evidence", row.evidence), ("data_source", row.data_source))
    for key, text in columns:
        if nfc(text):
            out.append(f"    {key}: {_q(nfc(text))}")
    out.append(f"    max: {_num(criterion.max)}")
    if criterion.parts:
        todos.append(f"điểm tối đa in thành phần {criterion.parts}: có thể chấm theo phần (formula parts)")
    found = infer(row.method, criterion.max) if criterion.max and not criterion.parts else None
    if found is None:
        out += ["    inputs: []", "    formula: {type: manual}"]
        todos.append("chưa có công thức: chọn loại theo cách tính (docs/rules.md §5) hoặc giữ manual"
                     " (chấm theo điểm tự đánh giá)")
    elif found.open_inputs:
        out += ["    inputs: []", "    formula: {type: manual}",
                f"    draft_formula: {_flow(found.formula)}  # suy ra từ cách tính"]
        todos.append(f"công thức suy ra từ cách tính: {found.summary}; chọn chỉ tiêu thay cho"
                     f" \"{UNKNOWN}\", ghi vào inputs, rồi chuyển draft_formula thành formula")
    else:
        out += ["    inputs: []", f"    formula: {_flow(found.formula)}  # suy ra từ cách tính"]
        todos.append(f"công thức suy ra từ cách tính: {found.summary}; kiểm tra, ghi input nếu báo cáo có"
                     " số liệu thể hiện được (không có input: chấm theo điểm tự đánh giá)")
    _todo(out, "    ", todos)
    return out, found is not None
