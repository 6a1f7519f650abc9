"""Formula parsers: a rule-set YAML formula mapping → its spec (`egovcli.rules.formulas`), each
key checked for its type and unknown keys refused, every complaint in Vietnamese."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from egovcli.rules.fields import Kind, complaint, convert, describe
from egovcli.rules.formulas import (
    Answer,
    Band,
    Banded,
    Categorical,
    Conditions,
    Deduction,
    DeductionItem,
    Exemption,
    Formula,
    FormulaError,
    Manual,
    NormalisedToBest,
    Part,
    Parts,
    PerItem,
    Ratio,
    Source,
    YesNo,
)


def parse_formula(data: object, max_points: float, conditions: Conditions) -> Formula:
    """Build a formula spec from its YAML mapping; raise FormulaError (Vietnamese) on the first mistake."""
    if not isinstance(data, Mapping):
        raise FormulaError(f"formula {complaint(data, 'mapping')}")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in PARSERS:
        given = "thiếu 'type'" if kind is None else f"không có loại công thức {describe(kind)}"
        raise FormulaError(f"{given} (các loại: {', '.join(PARSERS)})")
    return PARSERS[kind](_Fields(data, kind), max_points, conditions)


class _Fields:
    """Reads typed keys from a formula mapping, remembering which were read to reject unknown ones."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise FormulaError(f"{where} {complaint(data, 'mapping')}")
        self.data: Mapping[Any, Any] = data
        self.where, self.read = where, {"type"}

    def get(self, key: str, default: Any = None) -> Any:
        """The raw value (null reads as absent): for keys that take a number or a keyword."""
        self.read.add(key)
        value = self.data.get(key)
        return default if value is None else value

    def require(self, key: str) -> Any:
        if self.data.get(key) is None:
            raise FormulaError(f"{self.where}: thiếu '{key}'")
        return self.get(key)

    def typed(self, key: str, kind: Kind, default: Any = None, *, required: bool = False) -> Any:
        """The value of `key` when it is a `kind` (a number as a float, a list as a tuple), else `default`."""
        value = self.require(key) if required else self.get(key)
        if value is None:
            return default
        if (problem := complaint(value, kind)) is not None:
            raise FormulaError(f"{self.where}: {key} {problem}")
        return convert(value, kind)

    def number(self, key: str) -> float | None:
        return cast(float | None, self.typed(key, "number"))

    def done(self) -> None:
        unknown = sorted(str(k) for k in self.data if k not in self.read)
        if unknown:
            raise FormulaError(f"{self.where}: khóa lạ {', '.join(unknown)}")


def _source(f: _Fields) -> Source:
    source = Source(
        of=f.typed("of", "name", ""), numerator=f.typed("numerator", "name", ""),
        denominator=f.typed("denominator", "name", ""), value=f.typed("value", "name", ""),
        unit=f.typed("unit", "text", ""),
    )
    given = [bool(source.of), bool(source.numerator or source.denominator), bool(source.value)]
    if sum(given) != 1 or bool(source.numerator) != bool(source.denominator):
        raise FormulaError(f"{f.where}: ghi đúng một trong 'of', 'numerator' + 'denominator', hoặc 'value'")
    return source


def _ratio(f: _Fields, max_points: float, conditions: Conditions) -> Ratio:
    formula = Ratio(_source(f))
    if not formula.source.is_ratio:
        raise FormulaError("ratio: cần 'of' hoặc 'numerator' + 'denominator', không dùng 'value'")
    f.done()
    return formula


def _band(data: object, index: int, max_points: float, is_ratio: bool, last: bool) -> Band:
    f = _Fields(data, f"bậc {index}")
    at_least, at_most = f.number("at_least"), f.number("at_most")
    points, over = f.get("points"), f.number("over")
    f.done()
    if at_least is not None and at_most is not None:
        raise FormulaError(f"bậc {index}: ghi 'at_least' hoặc 'at_most', không ghi cả hai")
    if (at_least is None and at_most is None) != last:
        raise FormulaError(f"bậc {index}: chỉ bậc cuối, và luôn là bậc cuối, không có ngưỡng")
    if points in ("max", "ratio", "ratio_over"):
        if points != "max" and not is_ratio:
            raise FormulaError(f"bậc {index}: '{points}' cần nguồn là một tỷ lệ")
        if (points == "ratio_over") != (over is not None and over > 0):
            raise FormulaError(f"bậc {index}: 'ratio_over' đi cùng một 'over' dương, và chỉ nó")
        return Band(points, None, at_least, at_most, over)
    if not _within(points, max_points):
        raise FormulaError(f"bậc {index}: points phải là max, ratio, ratio_over hoặc một số trong "
                           f"0–{max_points:g}, không phải {describe(points)}")
    return Band("fixed", float(points), at_least, at_most)


def _within(points: object, max_points: float) -> bool:
    """Whether `points` is a plain number within 0 … max_points (a non-finite one never is)."""
    return complaint(points, "number") is None and 0 <= cast(float, points) <= max_points


def _banded(f: _Fields, max_points: float, conditions: Conditions) -> Banded:
    source, bands = _source(f), f.require("bands")
    f.done()
    if not isinstance(bands, list) or not bands:
        raise FormulaError(f"banded: 'bands' phải là một danh sách không rỗng, không phải {describe(bands)}")
    last = len(bands) - 1
    parsed = tuple(_band(b, i + 1, max_points, source.is_ratio, i == last) for i, b in enumerate(bands))
    return Banded(source, parsed)


def _yes_no(f: _Fields, max_points: float, conditions: Conditions) -> YesNo:
    formula = YesNo(f.typed("input", "name", ""))
    f.done()
    return formula


def _per_item(f: _Fields, max_points: float, conditions: Conditions) -> PerItem:
    each, cap = f.number("each"), f.number("cap")
    formula = PerItem(each or 0.0, max_points if cap is None else cap, f.typed("input", "name", ""))
    f.done()
    if not formula.each > 0 or not 0 < formula.cap <= max_points:
        raise FormulaError(f"per_item: 'each' phải > 0 và 'cap' trong 0–{max_points:g}")
    return formula


def _deduction(f: _Fields, max_points: float, conditions: Conditions) -> Deduction:
    items = f.require("items")
    f.done()
    if not isinstance(items, list) or not items:
        raise FormulaError(f"deduction: 'items' phải là một danh sách không rỗng, "
                           f"không phải {describe(items)}")
    parsed = []
    for index, data in enumerate(items, 1):
        g = _Fields(data, f"khoản trừ {index}")
        item = DeductionItem(g.typed("input", "name", required=True), g.number("each") or 0.0,
                             g.typed("label", "text", ""))
        g.done()
        if item.each <= 0:
            raise FormulaError(f"khoản trừ {index}: 'each' phải > 0")
        parsed.append(item)
    return Deduction(tuple(parsed))


def _answer(data: object, index: int, max_points: float) -> Answer:
    f = _Fields(data, f"đáp án {index}")
    text, points, deduct = f.typed("answer", "text", required=True), f.get("points"), f.number("deduct_each")
    aliases = f.typed("aliases", "texts", ())
    f.done()
    if deduct is not None:
        if points is not None or deduct <= 0:
            raise FormulaError(f"đáp án {index}: ghi 'points' hoặc một 'deduct_each' dương")
        return Answer(text, "deduct", deduct_each=deduct, aliases=aliases)
    if points == "max":
        return Answer(text, "max", aliases=aliases)
    if not _within(points, max_points):
        raise FormulaError(f"đáp án {index}: points phải là max hoặc một số trong 0–{max_points:g}, "
                           f"không phải {describe(points)}")
    return Answer(text, "fixed", float(points), aliases=aliases)


def _categorical(f: _Fields, max_points: float, conditions: Conditions) -> Categorical:
    answers = f.require("answers")
    source, count = f.typed("input", "name", ""), f.typed("count", "name", "")
    f.done()
    if not isinstance(answers, list) or not answers:
        raise FormulaError(f"categorical: 'answers' phải là một danh sách không rỗng, "
                           f"không phải {describe(answers)}")
    parsed = tuple(_answer(a, i, max_points) for i, a in enumerate(answers, 1))
    if count and not any(a.award == "deduct" for a in parsed):
        raise FormulaError("categorical: 'count' chỉ dùng cho một đáp án có 'deduct_each'")
    return Categorical(parsed, source, count)


def _exemption(f: _Fields, max_points: float, conditions: Conditions) -> Exemption:
    name, points = f.typed("when", "name", required=True), f.number("points")
    otherwise = _top_level_only(parse_formula(f.require("otherwise"), max_points, conditions), "exemption")
    f.done()
    if name not in conditions:
        raise FormulaError(f"exemption: không có điều kiện {name!r} (đã khai báo: {', '.join(conditions)})")
    if points is not None and not 0 <= points <= max_points:
        raise FormulaError(f"exemption: points phải trong 0–{max_points:g}")
    return Exemption(conditions[name], otherwise, points)


def _parts(f: _Fields, max_points: float, conditions: Conditions) -> Parts:
    parts = f.require("parts")
    f.done()
    if not isinstance(parts, list) or not parts:
        raise FormulaError(f"parts: 'parts' phải là một danh sách không rỗng, không phải {describe(parts)}")
    parsed = []
    for index, data in enumerate(parts, 1):
        g = _Fields(data, f"phần {index}")
        label, part_max = g.typed("label", "text", required=True), g.typed("max", "number", required=True)
        formula = _top_level_only(parse_formula(g.require("formula"), part_max, conditions), f"phần {index}")
        parsed.append(Part(label, part_max, formula))
        g.done()
    if abs(sum(p.max for p in parsed) - max_points) > 1e-9:
        raise FormulaError(f"parts: điểm tối đa các phần cộng lại {sum(p.max for p in parsed):g}, "
                           f"không phải {max_points:g}")
    return Parts(tuple(parsed))


def _normalised_to_best(f: _Fields, max_points: float, conditions: Conditions) -> NormalisedToBest:
    formula = NormalisedToBest(_source(f))
    f.done()
    return formula


def _top_level_only(formula: Formula, where: str) -> Formula:
    if isinstance(formula, NormalisedToBest):
        raise FormulaError(f"{where}: normalised_to_best chỉ dùng được làm công thức của chính tiêu chí")
    return formula


def _manual(f: _Fields, max_points: float, conditions: Conditions) -> Manual:
    f.done()
    return Manual()


PARSERS: dict[str, Callable[[_Fields, float, Conditions], Formula]] = {
    "ratio": _ratio,
    "banded": _banded,
    "yes_no": _yes_no,
    "per_item": _per_item,
    "deduction": _deduction,
    "categorical": _categorical,
    "exemption": _exemption,
    "parts": _parts,
    "normalised_to_best": _normalised_to_best,
    "manual": _manual,
}
