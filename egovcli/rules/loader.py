"""Load a rule-set YAML file into a validated `RuleSet`, reporting every mistake of the file at once."""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from egovcli import groups as agency_groups
from egovcli.agencies import agency_key
from egovcli.problems import Problem, at_line, sorted_by_line
from egovcli.rules.checker import FIELD, VALUE, Checker, Node
from egovcli.rules.consistency import (
    criterion_problems,
    level_problems,
    reading_problems,
    sum_problems,
    total_problems,
)
from egovcli.rules.criteria import read_criteria, read_max
from egovcli.rules.fields import complaint, decimal_commas, describe
from egovcli.rules.formulas import (
    Condition,
)
from egovcli.rules.model import (
    AGGREGATES,
    RESULTS,
    Bonus,
    Heading,
    Level,
    Precision,
    Reading,
    RuleSet,
    RuleSetError,
    Section,
    Subsection,
)
from egovcli.rules.own_indicators import own_indicators
from egovcli.rules.yamlread import MAX_BYTES, Lines, YamlDocument, problem_line, problem_text, read_yaml
from egovcli.textnorm import nfc

RULES_DIR = Path(__file__).parent


def list_rules() -> list[str]:
    """Names of the rule sets shipped with egov."""
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def load_rules(name_or_path: str) -> RuleSet:
    """Load a shipped rule set by name ("hanam-2022") or any rule-set YAML file by path."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = RULES_DIR / f"{name_or_path}.yaml"
        if not path.is_file():
            message = f"không có bộ tiêu chí '{name_or_path}' (có sẵn: {', '.join(list_rules())})"
            raise RuleSetError(message, code="E-RULES-NOT-FOUND")
    return load_rules_text(_read(path), str(path))


def _read(path: Path) -> str:
    """The text of a rule file: a regular file (never a FIFO that would block) of at most MAX_BYTES."""
    def refuse(message: str, line: int | None = None, code: str = "E-RULES-UNREADABLE") -> RuleSetError:
        return RuleSetError([at_line(code, str(path), line, message)])

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise refuse("không phải một tệp thường")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # never more, whatever the file has grown to
    except FileNotFoundError as exc:
        raise refuse("không tìm thấy tệp", code="E-RULES-NOT-FOUND") from exc
    except OSError as exc:
        raise refuse(f"không đọc được tệp bộ tiêu chí: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise refuse(_too_large(), code="E-RULES-TOO-LARGE")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"tệp không phải UTF-8 (byte 0x{data[exc.start]:02x}); hãy lưu lại dạng UTF-8",
                     data[:exc.start].count(b"\n") + 1) from exc


def _too_large() -> str:
    return (f"tệp bộ tiêu chí lớn hơn {MAX_BYTES // (1024 * 1024)} MB, không đọc "
            "(một bộ tiêu chí chỉ vài chục KB)")


def load_rules_text(text: str, origin: str) -> RuleSet:
    """Load a rule set from its YAML text (e.g. the copy stored with a scoring run), with the same
    limits and checks as a file."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise RuleSetError([at_line("E-RULES-TOO-LARGE", origin, None, _too_large())])
    try:
        document = read_yaml(text)
    except yaml.YAMLError as exc:
        message = f"YAML không hợp lệ: {problem_text(exc)}"
        raise RuleSetError([at_line("E-RULES-YAML", origin, problem_line(exc), message)]) from exc
    repeated = [at_line("E-RULES-DUPLICATE-KEY", origin, line, text) for line, text in document.duplicates]
    notes = _decimal_comma_notes(document, origin)
    try:
        rules = parse_rules(document.data, origin, document.lines)
    except RuleSetError as exc:
        raise RuleSetError([*repeated, *exc.problems, *notes]) from None
    if repeated:
        raise RuleSetError([*repeated, *notes])
    return replace(rules, text=text, todos=tuple(sorted_by_line([*rules.todos, *notes])))


def _decimal_comma_notes(document: YamlDocument, origin: str) -> list[Problem]:
    """W-RULES-DECIMAL-COMMA for each "2,5" read as 2.5 (`fields.decimal_commas`), at its key's line."""
    return [at_line("W-RULES-DECIMAL-COMMA", origin, document.lines.get(id(node), {}).get(str(name)),
                    f"{name}: '{written.strip()}' được đọc là số {number:g} (dấu phẩy thập phân); "
                    f"viết {number:g} để khỏi ghi chú này")
            for node, name, written, number in decimal_commas(document.data)]


def parse_rules(data: Any, origin: str, lines: Lines | None = None) -> RuleSet:
    """Validate a loaded YAML mapping. On any mistake raise one RuleSetError listing them all, each
    as "rules.yaml:42: tiêu chí II.3.1: …" (the line when `lines`, from the loader, knows it).

    Checks that add values up (section sums, max_total, level ranges) run only when every value
    they add could be read, so that one unreadable `max` is not also reported as a wrong sum."""
    check = Checker(origin, lines or {})
    if not isinstance(data, Mapping):
        message = f"tệp phải là một bảng khóa: giá trị (name, sections…), không phải {describe(data)}"
        raise RuleSetError([at_line(FIELD, origin, 1, message)])
    check.keys(data, _TOP_KEYS, "")
    check.todo(data, "")
    name, title, period = (check.need(data, key, "text") for key in ("name", "title", "period"))
    max_total = check.need(data, "max_total", "number")
    bonus, conditions, weights = _bonus(check, data), _conditions(check, data), _weights(check, data)
    sections, ids_read, maxima_read = _sections(check, data, weights or {})
    readings, levels = _readings(check, data), _levels(check, data)
    ranked = _groups(check, data)
    own = own_indicators(check, data)  # before the criteria: their formulas may read these
    criteria, all_shaped = read_criteria(check, data, conditions, ranked)
    rules = RuleSet(
        name=name or "", title=nfc(title), period=period or "", max_total=max_total or 0.0,
        sections=tuple(s for s, _ in sections), criteria=tuple(c for c, _, _ in criteria),
        headings=_headings(check, data), conditions=tuple(conditions.values()),
        general_readings=tuple(r for r, _ in readings), source=nfc(check.get(data, "source", "text")),
        bonus=bonus, levels=tuple(sorted(levels or (), key=lambda lv: -lv.min)),
        todos=tuple(sorted_by_line(check.todos)), precision=_precision(check, data),
        groups=ranked, indicators=own,
    )
    ids_read = ids_read and (bonus is None or bool(bonus.id))
    criterion_problems(check, criteria, rules, ids_read)
    reading_problems(check, data, rules, readings)
    if ids_read and maxima_read and all_shaped:
        sum_problems(check, rules, {s.id: node for s, node in sections})
        if max_total is not None and weights is not None:
            total_problems(check, rules, data)
            if levels is not None and (bonus is None or bonus.cap > 0):
                level_problems(check, rules, data)
    if check.problems:
        raise RuleSetError([*check.problems, *check.todos])  # a draft's to-dos with its mistakes, all at once
    return rules


_TOP_KEYS = {"name", "title", "period", "max_total", "sections", "criteria", "headings", "conditions",
             "readings", "source", "weights", "bonus", "levels", "todo", "groups", "indicators",
             "result", "decimals", "tie_tolerance", "aggregate"}
MAX_DECIMALS = 10  # beyond this a float no longer holds the digits shown


def _precision(check: Checker, data: Node) -> Precision:
    """`result`, `decimals`, `tie_tolerance`, `aggregate` (absent: today's points, 2, none, sum)."""
    default = Precision()
    chosen = {}
    for key, allowed in (("result", RESULTS), ("aggregate", AGGREGATES)):
        value = check.get(data, key, "name")
        if value is not None and value not in allowed:
            message = f"{key} phải là {' hoặc '.join(allowed)}, không phải {describe(value)}"
            check.add(VALUE, message, data, key)
        chosen[key] = value if value in allowed else getattr(default, key)
    decimals = check.get(data, "decimals", "number")
    if decimals is not None and not (decimals.is_integer() and 0 <= decimals <= MAX_DECIMALS):
        message = f"decimals phải là số nguyên 0–{MAX_DECIMALS}, không phải {describe(data['decimals'])}"
        check.add(VALUE, message, data, "decimals")
        decimals = None
    tolerance = check.get(data, "tie_tolerance", "number")
    if tolerance is not None and tolerance < 0:
        check.add(VALUE, "tie_tolerance không được âm", data, "tie_tolerance")
        tolerance = None
    if chosen["aggregate"] == "mean" and data.get("weights"):
        check.add(VALUE, "aggregate: mean không dùng cùng weights (tổng theo trọng số đã là trung bình"
                  " có trọng số của chỉ số các mục)", data, "aggregate")
    return Precision(chosen["result"], default.decimals if decimals is None else int(decimals), tolerance,
                     chosen["aggregate"])


def _groups(check: Checker, data: Node) -> tuple[agency_groups.Group, ...]:
    """The groups the rule set ranks, in display order (`groups:`); () = the built-in groups."""
    ranked: list[agency_groups.Group] = []
    for index, node in check.entries(data, "groups", "nhóm"):
        about, before = f"nhóm thứ {index}: ", len(check.problems)
        check.keys(node, {"id", "title", "names"}, about)
        gid = check.need(node, "id", "name", about)
        title, names = check.get(node, "title", "text", about), check.get(node, "names", "texts", about)
        if gid is None or len(check.problems) > before:  # a group with a mistake ranks nobody: said once
            continue
        built_in = agency_groups.find(gid) is not None
        if not built_in and not agency_groups.is_custom_id(gid):
            check.add(VALUE, f"{about}id '{gid}' phải là chữ thường không dấu, số, '_' (vd. doan_the)",
                      node, "id")
        elif not built_in and not (title and title.strip()):
            check.add(FIELD, f"{about}nhóm '{gid}' không có sẵn trong egov: cần title (tên nhóm tiếng Việt)",
                      node, "id")
        elif any(g.id == gid for g in ranked):
            check.add(VALUE, f"{about}nhóm '{gid}' khai báo hai lần", node, "id")
        else:
            keys = tuple(k for k in (agency_key(n) for n in names or ()) if k)
            ranked.append(agency_groups.declare(gid, nfc(title or "").strip(), keys))
    return tuple(ranked)


def _weights(check: Checker, data: Node) -> dict[str, float] | None:
    """Section id → weight (empty for a rule set without weights); None when one could not be read."""
    weights = check.get(data, "weights", "mapping") or {}
    for key in weights:
        if (problem := complaint(key, "name")) is not None:
            check.add(FIELD, f"weights: mã mục {problem}", weights)
    parsed = {key: check.need(weights, key, "number", "weights: ") for key in weights if isinstance(key, str)}
    if len(parsed) != len(weights) or None in parsed.values() or not check.readable(data, "weights"):
        return None
    return parsed


def _bonus(check: Checker, data: Node) -> Bonus | None:
    node = check.get(data, "bonus", "mapping")
    if node is None:
        return None
    check.keys(node, {"id", "title", "cap"}, "bonus: ")
    bid, title = check.need(node, "id", "name", "bonus: "), check.need(node, "title", "text", "bonus: ")
    bonus = Bonus(bid or "", nfc(title), check.need(node, "cap", "number", "bonus: ") or 0.0)
    if bonus.cap <= 0 and check.readable(node, "cap"):
        check.add(VALUE, "bonus: cap phải dương", node, "cap")
    return bonus


def _conditions(check: Checker, data: Node) -> dict[str, Condition]:
    """Named conditions. One with a wrong field is kept (with placeholders) so that the criteria
    naming it are not reported as well: the file is refused anyway."""
    conditions: dict[str, Condition] = {}
    declared = check.get(data, "conditions", "mapping") or {}
    for name, node in declared.items():
        if (problem := complaint(name, "name")) is not None:
            check.add(FIELD, f"conditions: tên điều kiện {problem}", data, "conditions")
        elif not isinstance(node, Mapping):
            check.add(FIELD, f"điều kiện {name}: {complaint(node, 'mapping')}", declared, name)
        else:
            about = f"điều kiện {name}: "
            check.keys(node, {"indicator", "equals", "text"}, about)
            conditions[name] = Condition(name, check.need(node, "indicator", "name", about) or "",
                                         check.need(node, "equals", "number", about) or 0.0,
                                         nfc(check.get(node, "text", "text", about)))
    return conditions


def _sections(check: Checker, data: Node,
              weights: Mapping[str, float]) -> tuple[list[tuple[Section, Node]], bool, bool]:
    """The sections; whether every id in them could be read (and is unique); whether every max and cap."""
    sections: list[tuple[Section, Node]] = []
    ids_read = maxima_read = True
    for index, node in check.entries(data, "sections", "mục", required=True):
        sid = check.need(node, "id", "name", f"mục thứ {index}: ") or ""
        about = f"mục {sid}: " if sid else f"mục thứ {index}: "
        check.keys(node, {"id", "tt", "title", "max", "cap", "subsections", "counted", "todo"}, about)
        check.todo(node, about)
        if sid and sid in (s.id for s, _ in sections):
            check.add("E-RULES-DUPLICATE-ID", f"{about}id trùng", node, "id")
            ids_read = False
        subsections = []
        for i, sub in check.entries(node, "subsections", f"{about}tiểu mục"):
            subsections.append(_subsection(check, sub, about, i))
            ids_read &= check.readable(sub, "id")
            maxima_read &= check.readable(sub, "max")
        tt, title = check.get(node, "tt", "text", about), check.need(node, "title", "text", about)
        section = Section(sid, tt or sid, nfc(title), read_max(check, node, about), tuple(subsections),
                          check.get(node, "cap", "number", about), weights.get(sid),
                          check.get(node, "counted", "flag", about) is not False)
        sections.append((section, node))
        ids_read &= check.readable(node, "id", "subsections")
        maxima_read &= check.readable(node, "max", "cap", "counted")
    return sections, ids_read and check.readable(data, "sections"), maxima_read


def _subsection(check: Checker, node: Node, parent: str, index: int) -> Subsection:
    sid = check.need(node, "id", "name", f"{parent}tiểu mục thứ {index}: ") or ""
    about = f"tiểu mục {sid}: " if sid else f"{parent}tiểu mục thứ {index}: "
    check.keys(node, {"id", "tt", "title", "max", "note", "todo"}, about)
    check.todo(node, about)
    tt, title = check.get(node, "tt", "text", about), check.need(node, "title", "text", about)
    note = check.get(node, "note", "text", about)
    return Subsection(sid, tt or sid, nfc(title), read_max(check, node, about), nfc(note))


def _headings(check: Checker, data: Node) -> tuple[Heading, ...]:
    headings = []
    for index, node in check.entries(data, "headings", "dòng tiêu đề"):
        about = f"dòng tiêu đề thứ {index}: "
        check.keys(node, {"id", "tt", "label", "formula_text", "todo"}, about)
        hid, tt = check.need(node, "id", "name", about), check.get(node, "tt", "text", about)
        check.todo(node, f"dòng tiêu đề {hid}: " if hid else about)
        label, text = check.need(node, "label", "text", about), check.get(node, "formula_text", "text", about)
        headings.append(Heading(hid or "", tt or "", nfc(label), nfc(text)))
    return tuple(headings)


def _readings(check: Checker, data: Node) -> list[tuple[Reading, Node]]:
    readings = []
    for index, node in check.entries(data, "readings", "cách hiểu"):
        about = f"cách hiểu thứ {index}: "
        check.keys(node, {"text", "criteria"}, about)
        text, names = check.need(node, "text", "text", about), check.get(node, "criteria", "names", about)
        if text is not None:
            readings.append((Reading(nfc(text), names or ()), node))
    return readings


def _levels(check: Checker, data: Node) -> list[Level] | None:
    """The levels as written; None when one could not be read."""
    levels = []
    for index, node in check.entries(data, "levels", "mức xếp loại"):
        about = f"mức xếp loại thứ {index}: "
        check.keys(node, {"name", "min"}, about)
        name, low = check.need(node, "name", "text", about), check.need(node, "min", "number", about)
        if name is not None and low is not None:
            levels.append(Level(nfc(name), low))
    return levels if check.readable(data, "levels") and len(levels) == len(data.get("levels") or ()) else None
