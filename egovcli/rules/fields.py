"""The kinds of value a rule-set field holds, checked one way for the loader and the formula parser.

A rule file is written by hand, so any field may hold anything YAML can say: a list where a name is
expected, `.nan` where a number is. Each check returns the Vietnamese complaint (or None), never
raises, so the loader can go on and report every mistake of the file at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal, cast

Kind = Literal["name", "text", "number", "names", "texts", "list", "mapping"]

_WANTED: dict[Kind, str] = {
    "name": "một tên (chuỗi không rỗng)",
    "text": "một chuỗi chữ",
    "number": "một số hữu hạn",
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
