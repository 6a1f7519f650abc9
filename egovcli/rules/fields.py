"""The kinds of value a rule-set field holds, checked one way for the loader and the formula parser.

A rule file is written by hand, so any field may hold anything YAML can say: a list where a name is
expected, `.nan` where a number is. Each check returns the Vietnamese complaint (or None), never
raises, so the loader can go on and report every mistake of the file at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal, cast

Kind = Literal["name", "text", "number", "flag", "names", "texts", "list", "mapping"]

_WANTED: dict[Kind, str] = {
    "name": "một tên (chuỗi không rỗng)",
    "text": "một chuỗi chữ",
    "number": "một số hữu hạn",
    "flag": "true hoặc false",
    "names": "một danh sách tên",
    "texts": "một danh sách chuỗi chữ",
    "list": "một danh sách",
    "mapping": "một bảng khóa: giá trị",
}
_ITEM: dict[Kind, Kind] = {"names": "name", "texts": "text"}


def describe(value: object) -> str:
    """A short Vietnamese description of a YAML value, for messages: never the repr of a big value."""
    if value is None:
        return "trống (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 20 else f"một số {len(text)} chữ số"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40] + "…")
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, Mapping):
        return "một bảng khóa: giá trị"
    return f"một giá trị kiểu {type(value).__name__}"


def complaint(value: object, kind: Kind) -> str | None:
    """Why `value` is not a `kind` ("phải là một số hữu hạn, không phải .nan"), or None when it is.

    Texts may be written as whole numbers (`tt: 1`, `period: 2024`): they read back unchanged. A
    fraction may not (`tt: 2.10` would read as "2.1"), nor may any number be a name (an id, an
    indicator), so `id: 2.10` cannot silently become criterion "2.1".
    """
    if kind in _ITEM:
        if not isinstance(value, list):
            return _wrong(value, kind)
        for index, item in enumerate(value, 1):
            if (problem := complaint(item, _ITEM[kind])) is not None:
                return f"phần tử {index}: {problem}"
        return None
    ok = {
        "name": isinstance(value, str) and value.strip() != "",
        "text": isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)),
        "number": _finite(value),
        "flag": isinstance(value, bool),
        "list": isinstance(value, list),
        "mapping": isinstance(value, Mapping),
    }[kind]
    return None if ok else _wrong(value, kind)


def _finite(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int literal beyond the float range
        return False


def _wrong(value: object, kind: Kind) -> str:
    return f"phải là {_WANTED[kind]}, không phải {describe(value)}"


def convert(value: object, kind: Kind) -> Any:
    """A value `complaint` accepted, as the rule model keeps it: a float, a str, a tuple of str."""
    if kind == "number":
        return float(cast(float, value))
    if kind in ("name", "text"):
        return str(value)
    if kind in _ITEM:
        return tuple(str(v) for v in cast(list[object], value))
    return value


def split_decimal_hint(node: Mapping[Any, Any]) -> str:
    """A hint when a flow mapping cut a decimal comma in two: `{max: 2,5}` reads as `max: 2` and a
    stray key `5` (null); "" when nothing looks so."""
    keys = list(node)
    for before, stray in zip(keys, keys[1:], strict=False):
        value = node[before]
        if (isinstance(stray, int) and not isinstance(stray, bool) and node[stray] is None
                and isinstance(value, int) and not isinstance(value, bool)):
            return (f" ('{before}: {value},{stray}'? trong {{…}} dấu phẩy ngăn các khóa: "
                    f"viết {value}.{stray} hoặc \"{value},{stray}\")")
    return ""


# keys whose value is a number wherever they appear (`weights` holds one per section)
NUMBER_KEYS = frozenset({"max_total", "max", "cap", "equals", "min", "each", "at_least", "at_most", "points",
                         "over", "deduct_each", "tie_tolerance"})
_DECIMAL_COMMA = re.compile(r"\s*([+-]?\d+),(\d+)\s*")


def decimal_commas(data: object) -> Iterator[tuple[Mapping[Any, Any], str, str, float]]:
    """Read every number written the Vietnamese way ("2,5", `max: 2,5`: YAML reads a string) as the
    number it means, in place: (the mapping, its key, the text, the number) of each. Only where a
    number is expected (`NUMBER_KEYS`, `weights`), so an answer or a label "2,5" stays text; a flow
    list `[2,5]` is two numbers for YAML and is never seen here."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if id(node) in seen or not isinstance(node, Mapping | list):
            continue
        seen.add(id(node))
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        for name, value in node.items():
            if name == "weights" and isinstance(value, dict):
                for section, weight in value.items():
                    if isinstance(weight, str) and (match := _DECIMAL_COMMA.fullmatch(weight)):
                        value[section] = float(f"{match[1]}.{match[2]}")
                        yield value, section, weight, value[section]
            elif (name in NUMBER_KEYS and isinstance(value, str)
                  and (match := _DECIMAL_COMMA.fullmatch(value))):
                number = float(f"{match[1]}.{match[2]}")
                cast(dict[Any, Any], node)[name] = number
                yield node, name, value, number
            else:
                stack.append(value)
