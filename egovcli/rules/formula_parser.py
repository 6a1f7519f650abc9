"""Formula parsers: a rule-set YAML formula mapping → its spec (`egovcli.rules.formulas`), each
key checked for its type and unknown keys refused, every complaint in Vietnamese; `band_problems`
then finds the bands of a parsed formula that no value can ever reach."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from egovcli.rules.fields import Kind, complaint, convert, describe, split_decimal_hint
from egovcli.rules.formulas import (
    Answer,
    Band,
    Banded,
    Case,
    Categorical,
    Conditions,
    Deduction,
    DeductionItem,
    Exemption,
    Formula,
    FormulaError,
    Highest,
    Manual,
    NormalisedToBest,
    Part,
    Parts,
    PerItem,
    Ratio,
    Source,
    YesNo,
)
from egovcli.textnorm import vi_number


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
            raise FormulaError(f"{self.where}: khóa lạ {', '.join(unknown)}{split_decimal_hint(self.data)}")


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
    otherwise = f.get("otherwise", False)
    if otherwise is not False and otherwise is not True:
        raise FormulaError(f"đáp án {index}: otherwise phải là true, không phải {describe(otherwise)}")
    text = f.typed("answer", "text", "", required=not otherwise)
    points, deduct = f.get("points"), f.number("deduct_each")
    aliases = f.typed("aliases", "texts", ())
    f.done()
    if otherwise:
        if deduct is not None or aliases:
            raise FormulaError(f"đáp án {index}: đáp án 'otherwise' chỉ ghi points (và answer: lời gọi nó)")
        if points == "max":
            return Answer(text, "max", otherwise=True)
        if not _within(points, max_points):
            raise FormulaError(f"đáp án {index}: points phải là max hoặc một số trong 0–{max_points:g}, "
                               f"không phải {describe(points)}")
        return Answer(text, "fixed", float(points), otherwise=True)
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
    if any(a.otherwise for a in parsed[:-1]):
        raise FormulaError("categorical: đáp án 'otherwise: true' (mọi câu trả lời khác) phải là "
                           "đáp án cuối, và chỉ có một")
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


def _highest(f: _Fields, max_points: float, conditions: Conditions) -> Highest:
    cases = f.require("cases")
    f.done()
    if not isinstance(cases, list) or len(cases) < 2:
        raise FormulaError(f"highest: 'cases' phải là một danh sách từ hai công thức trở lên, "
                           f"không phải {describe(cases)}")
    parsed = []
    for index, data in enumerate(cases, 1):
        label, formula = _case(data, index)
        where = f"trường hợp {index}"
        try:
            parsed.append(Case(_top_level_only(parse_formula(formula, max_points, conditions), where), label))
        except FormulaError as exc:
            raise FormulaError(f"{where}: {exc}") from None
        if isinstance(parsed[-1].formula, Manual):
            raise FormulaError(f"{where}: manual không tính được điểm nào để so sánh")
    return Highest(tuple(parsed))


def _case(data: object, index: int) -> tuple[str, object]:
    """A case's label and formula mapping: `{label: …, formula: {…}}`, or the formula itself."""
    if isinstance(data, Mapping) and "formula" in data and "type" not in data:
        g = _Fields(data, f"trường hợp {index}")
        label, formula = g.typed("label", "text", ""), g.require("formula")
        g.done()
        return label, formula
    return "", data


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
    "highest": _highest,
    "manual": _manual,
}


def band_problems(formula: Formula, data: Mapping[str, Any]) -> list[tuple[str, object]]:
    """(Vietnamese message, the band's YAML mapping) for each band of `formula` (parsed from `data`,
    nested formulas included) that no value can reach: the bands before it already take every value
    it would (thresholds at_least not descending, at_most not ascending, or an at_least and an
    at_most band that overlap, leaving nothing to the bands after them)."""
    return [(f"{where}{message}", node) for where, banded, raw in _banded_in(formula, data, "")
            for message, node in _unreachable(banded, raw)]


def _banded_in(formula: Formula, data: Any, where: str) -> Iterator[tuple[str, Banded, Any]]:
    """Each banded formula inside `formula`, with the words saying where and its YAML mapping."""
    if isinstance(formula, Banded):
        yield where, formula, data
    elif isinstance(formula, Parts):
        for index, (part, raw) in enumerate(zip(formula.parts, data["parts"], strict=True), 1):
            yield from _banded_in(part.formula, raw["formula"], f"{where}phần {index}: ")
    elif isinstance(formula, Exemption):
        yield from _banded_in(formula.otherwise, data["otherwise"], where)
    elif isinstance(formula, Highest):
        for index, (case, raw) in enumerate(zip(formula.cases, data["cases"], strict=True), 1):
            yield from _banded_in(case.formula, _case(raw, index)[1], f"{where}trường hợp {index}: ")


def _unreachable(formula: Banded, data: Any) -> Iterator[tuple[str, object]]:
    """Bands are tried in order and the first that holds decides; a band is dead when the union of
    the bands before it, [lowest at_least, ∞) ∪ (−∞, highest at_most], already holds its range."""
    show = _pct if formula.source.is_ratio else vi_number
    low: tuple[float, int] | None = None  # the lowest at_least so far, and its band
    high: tuple[float, int] | None = None  # the highest at_most so far, and its band
    for index, (band, raw) in enumerate(zip(formula.bands, data["bands"], strict=True), 1):
        why = ""
        if low and high and low[0] <= high[0]:
            why = (f"bậc {high[1]} (≤ {show(high[0])}) và bậc {low[1]} (≥ {show(low[0])}) chồng nhau, "
                   "đã phủ mọi giá trị")
        elif band.at_least is not None and low and band.at_least >= low[0]:
            why = (f"bậc {low[1]} (≥ {show(low[0])}) đứng trước đã nhận mọi giá trị ≥ {show(band.at_least)}; "
                   "các ngưỡng at_least phải giảm dần")
        elif band.at_most is not None and high and band.at_most <= high[0]:
            why = (f"bậc {high[1]} (≤ {show(high[0])}) đứng trước đã nhận mọi giá trị "
                   f"≤ {show(band.at_most)}; các ngưỡng at_most phải tăng dần")
        if why:
            yield f"bậc {index} không bao giờ được áp dụng: {why}", raw
        if band.at_least is not None and (low is None or band.at_least < low[0]):
            low = (band.at_least, index)
        if band.at_most is not None and (high is None or band.at_most > high[0]):
            high = (band.at_most, index)


def _pct(value: float) -> str:
    return f"{vi_number(value * 100)}%"
