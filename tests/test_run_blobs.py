"""A scoring run's rows as the workspace stores them (`egovcli.workspace.runs.pack` / `unpack`):
workspaces are kept across versions, so every blob an earlier egov stored reads back the same, and
what `pack` stores now reads back exactly as it was given (NaN, ±inf, big integers, "null" inside a
text), never through marshal or pickle (a workspace is a shared, untrusted file)."""

from __future__ import annotations

import base64
import math
from typing import Any

import pytest

from egovcli.workspace.runs import pack, unpack

# rows and an unmatched self-score, zlib-compressed JSON as egov stored them before LZ4 (made by the
# `pack` of commit e28f4b1): NaN, inf, -0.0 and 1e16 written by json.dumps as NaN, Infinity, -0.0, 1e+16
_ZLIB_BLOB = (
    "eAFFUc1qGzEQfhVlTg1Rl90sNsne2lKKoTiH+lBYGzOWZ7PCsmRW2nRDCPTUBwh5gITcc8nNOeSQJ7GfpCM7JKCfb75vNDN8uoIF"
    "XXooSlCNDtRoZ0GCJxX2yOCMDDMrp23wDJbYTd+DGXodSU+m+mArg+eRpW5l0OJbJeVaG2jOvLZz6nY6qgATCRdoWopDlDBIMlYG"
    "vL+iFfXrna3FYrN+EbXbrO9VLcZgW2PGAPK4l6T7A+YYEGQUZAnugpopjxkrf3t9Ett/N4LvQhz3xCdMOuM7KX7VROHge+8QZGha"
    "2r8d4nDCBUZnoy8/eQJeo83z7fAHyIyOsr4c2EpbHS4lBBeQbfmc8ggl9xm3aZrNyjxbbv8+gqzQeJJpcpL35UneS077E05q7RKD"
    "qtmDorwC79pG0bTShqCAWTJ3KpqyN7yAiBv8M915wwk5x28456awYBeZ3jnvlWuIdaa0wuAaFga/k9NYgioOIjKOpfip3GyzfrDn"
    "IoPryfV/DSynhg=="
)
# rows of different keys (stored one dict each), one integer beyond 64 bits
_ZLIB_ROWS = "eAGrVirKLy9WsoquVkpUsjKs1alWSgLShhYGppaGZkYG5obmJoaGxgbGJkYmtbE6SqV5uYklyRmpKUAtsbUAHZYRhw=="


def _rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [
        {"criterion": "I.1", "section": "I", "label": 'Ban hành kế hoạch "null"', "points": 25.0,
         "max_points": 25.0, "basis": "data", "self_points": None, "flags": ["over_max"],
         "explanation": "Có → Có: 25 (a.xlsx, Sheet!E5)", "counted": True, "index": None, "exact": math.nan},
        {"criterion": "TOTAL", "section": "", "label": "TỔNG", "points": 1e16, "max_points": math.inf,
         "basis": "total", "self_points": -0.0, "flags": [], "explanation": "\x1b[31m\u202e",
         "counted": False, "index": 0.836, "exact": 835.96},
    ]
    unmatched = [{"source_file": "b.docx", "label": "x", "raw_value": "3", "value": 3.0, "kind": "self_score",
                  "indicator": "IX.9", "ref": "9", "location": "bảng 1"}]
    return rows, unmatched


def _same(a: object, b: object) -> bool:
    """Equal, NaN equal to NaN and -0.0 only to -0.0 (what a stored run must give back)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def test_a_blob_an_earlier_egov_stored_reads_back_the_same() -> None:
    rows, unmatched = unpack(base64.b64decode(_ZLIB_BLOB))
    assert _same((rows, unmatched), _rows())
    assert _same(unpack(base64.b64decode(_ZLIB_ROWS)), ([{"a": 1}, {"b": 2**70}], []))


@pytest.mark.parametrize(
    "rows",
    [
        _rows()[0],  # NaN and inf: json's NaN / Infinity, never orjson's null
        [{"a": None, "b": "null"}, {"a": "nullnull", "b": None}],  # "null" inside texts
        [{"a": 2**70, "b": None}],  # beyond orjson's integers
        [{"a": 1}, {"b": None}],  # rows of different keys
        [{"a": "\x00\x1b\u2028\U0001f600", "b": [1.5, None, "x"], "c": {"d": None}}],
        [],
    ],
)
def test_what_is_packed_reads_back_exactly(rows: list[dict[str, Any]]) -> None:
    unmatched = _rows()[1]
    assert _same(unpack(pack(rows, unmatched)), (rows, unmatched))
    assert _same(unpack(pack(rows, [])), (rows, []))


def test_a_blob_claiming_a_huge_size_allocates_no_more_than_it_can_hold() -> None:
    """A workspace is a shared file: a packed block whose header claims 4 GB is refused, not allocated."""
    import lz4.block

    blob = pack(*_rows())
    hostile = blob[:4] + (2**32 - 1).to_bytes(4, "little") + blob[8:]
    assert unpack(hostile)[0][0]["criterion"] == "I.1"  # the real size is within the bound
    with pytest.raises(lz4.block.LZ4BlockError):
        unpack(hostile[:4] + (2**32 - 1).to_bytes(4, "little") + b"\xff" * 64)
