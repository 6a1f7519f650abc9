"""Submitted text is shown, never obeyed (issue 11, item 1): rich markup (`[/red]`, `[link=…]`),
terminal escapes (ESC, CSI 0x9b, BEL, CR) and bidi overrides in an agency name, labels and a file
name reach every output — terminal tables, stderr messages, CSV, JSON, markdown, HTML, the workbook —
as visible escapes (`\\x1b`), or as `\\u` escapes in JSON (lossless), never raw.

The round is built at test time: seed 004's Excel report whose agency name and data labels carry the
payloads (an .xlsx cell holds control characters as `_x001B_` escapes, which every reader decodes),
saved under a file name carrying them too, next to a shipped sample; then ingest → indicators →
score → rank. `egov verify` gets a published ranking (seed 001) whose agency carries them.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import egov
from openpyxl import load_workbook

from egovcli.untrusted import json_text, markup, terminal, visible
from samples.generate import SEED_FACTS, info_for, seed_004_spec, write_xlsx
from samples.published import write_xlsx as write_published_xlsx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
# as an .xlsx cell stores them: _xHHHH_ is how OOXML writes a control character
PAYLOAD_XLSX = "[/red] [link=http://x]y[/link] _x001B_[31m đỏ _x000D_ _x0007_ \u202e ngược _x009B_2J"
AGENCY_XLSX = f"Sở Tài chính {PAYLOAD_XLSX} tỉnh Hà Nam"
LABEL_XLSX = f"- Số máy chủ {PAYLOAD_XLSX}:"
FILE = "bao cao [red] \x1b[31m\r\x07\u202e\x9b.xlsx"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")  # what must never reach an output raw
SHOWN = ("[/red]", "[link=", "\\x1b[31m", "\\x07", "\\u202e", "\\x9b")  # what must be seen instead
JSON_RAW = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80\xae")  # raw, in UTF-8 bytes


def assert_shown(text: str, what: str, shown: tuple[str, ...] = SHOWN) -> None:
    """`text` shows every payload visibly and holds none of it raw (a line feed is fine)."""
    raw = sorted({hex(ord(c)) for c in RAW.findall(text)})
    assert not raw, (what, raw)
    missing = [s for s in shown if s not in text]
    assert not missing, (what, missing)


def assert_json(data: bytes, what: str) -> Any:
    """JSON with no raw C0/C1 control or bidi override in its bytes, and the exact text inside."""
    assert not JSON_RAW.findall(data), (what, JSON_RAW.findall(data)[:5])
    assert b"\\u009b" in data and b"\\u001b" in data, what
    value = json.loads(data)
    assert any("\x1b[31m" in t and "\x9b" in t for t in strings(value)), what  # lossless
    return value


def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def payload_report(path: Path) -> Path:
    seed = seed_004_spec()
    spec = dataclasses.replace(seed, agency=AGENCY_XLSX, info=info_for(AGENCY_XLSX, SEED_FACTS, seed.rows))
    write_xlsx(spec, path)
    wb = load_workbook(path)
    wb["Báo cáo"].append([LABEL_XLSX, "04 chiếc"])
    wb["Báo cáo"].append([f"- Tổng số máy in {PAYLOAD_XLSX}:", f"24 chiếc {PAYLOAD_XLSX}"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("untrusted")
    folder, ws = tmp / "reports", str(tmp / "ws.sqlite")
    folder.mkdir()
    payload_report(folder / FILE)
    shutil.copyfile(SAMPLES / "so-xay-dung.xlsx", folder / "so-xay-dung.xlsx")
    code, out, err = egov("ingest", str(folder), "-w", ws, "-j", "1", "--all")  # the table of every file
    assert code == 0, err
    ingest_table = err
    code, out, err = egov("ingest", str(folder), "-w", ws, "-j", "1", "--json")
    assert code == 0, err
    return {"ws": ws, "tmp": tmp, "ingest_table": ingest_table, "ingest_json": out}


def _agency(round_: dict[str, Any]) -> str:
    """The payload agency as stored (exact)."""
    found = json.loads(round_["ingest_json"])["files"]
    (agency,) = [f["agency"] for f in found if "[/red]" in f["agency"]]
    return str(agency)


def test_the_payloads_are_read_as_submitted(round_: dict[str, Any]) -> None:
    agency = _agency(round_)
    assert "\x1b[31m" in agency and "\x9b2J" in agency and "\x07" in agency and "\u202e" in agency
    assert_json(round_["ingest_json"].encode(), "ingest --json")
    files = {f["file"] for f in json.loads(round_["ingest_json"])["files"]}
    assert FILE in files  # the exact name, in JSON


def test_ingest_table_shows_the_payloads(round_: dict[str, Any]) -> None:
    assert_shown(round_["ingest_table"], "ingest table")
    assert "\\x0d" in round_["ingest_table"]  # the file name's carriage return


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_indicators_in_every_format(round_: dict[str, Any], fmt: str) -> None:
    code, out, err = egov("indicators", "-w", round_["ws"], "-f", fmt)
    assert code == 0, err
    if fmt == "json":
        rows = assert_json(out.encode(), "indicators json")
        assert any(r["source_file"] == FILE for r in rows)
        return
    assert_shown(out, f"indicators {fmt}")
    assert "\\x0d" in out  # the file name, in source_file
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert any(r["source_file"] == visible(FILE) for r in rows)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_score_in_every_format_and_its_messages(round_: dict[str, Any], fmt: str) -> None:
    code, out, err = egov("score", "--rules", "hanam-2022", "-w", round_["ws"], "-f", fmt)
    assert code == 0, err
    assert_shown(err, "score stderr", ("[/red]", "\\x1b[31m", "\\x9b"))  # the per-agency lines
    if fmt == "json":
        assert_json(out.encode(), "score json")
    else:
        assert_shown(out, f"score {fmt}")


def test_rank_outputs(round_: dict[str, Any]) -> None:
    code, _, err = egov("score", "--rules", "hanam-2022", "-w", round_["ws"], "-f", "csv")
    assert code == 0, err
    out_dir = round_["tmp"] / "out"
    paths = {k: out_dir / f"r.{k}" for k in ("xlsx", "md", "html", "csv", "json", "txt")}
    code, table, err = egov("rank", "-w", round_["ws"], "-o", str(paths["xlsx"]), "--md", str(paths["md"]),
                            "--html", str(paths["html"]))
    assert code == 0, err
    assert_shown(table, "rank table")
    for kind in ("csv", "json", "txt"):
        code, _, err = egov("rank", "-w", round_["ws"], "-o", str(paths[kind]))
        assert code == 0, err
    assert_json(paths["json"].read_bytes(), "rank json")
    assert_shown(paths["csv"].read_text(encoding="utf-8"), "rank csv")
    assert_shown(paths["txt"].read_text(encoding="utf-8"), "rank txt")
    # markdown escapes [ ] and \ for its tables: \\x1b and \[/red\] show as \x1b and [/red]
    md = paths["md"].read_text(encoding="utf-8")
    shown_md = ("\\[/red\\]", "\\[link=", "\\\\x1b\\[31m", "\\\\x07", "\\\\u202e", "\\\\x9b")
    assert_shown(md, "markdown", shown_md)
    html = paths["html"].read_text(encoding="utf-8")
    assert_shown(html, "html")
    wb = load_workbook(paths["xlsx"])
    texts = [str(c.value) for s in wb for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    texts += [c.comment.text for s in wb for row in s.iter_rows() for c in row if c.comment]
    assert_shown("\n".join(texts), "workbook")
    assert visible(_agency(round_)) in texts  # the agency's own cells: every escape, nothing dropped


def test_verify_outputs(tmp_path: Path) -> None:
    path = tmp_path / "qd.xlsx"
    write_published_xlsx(path)
    wb = load_workbook(path)
    for sheet in wb:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "Sở Tư pháp":
                    cell.value = f"Sở Tư pháp {PAYLOAD_XLSX}"
    wb.save(path)
    for fmt in ("table", "csv"):
        code, out, err = egov("verify", str(path), "-r", "hoabinh-2017", "-f", fmt)
        assert code == 0, err
        assert_shown(out, f"verify {fmt}")
    code, out, err = egov("verify", str(path), "-r", "hoabinh-2017", "-f", "json")
    assert code == 0, err
    assert_json(out.encode(), "verify json")


def test_safe_helpers() -> None:
    assert visible("a\x1b[31mb\r\n\tc\x9b\u202e\udcff") == "a\\x1b[31mb\\x0d\n\tc\\x9b\\u202e\\xff"
    assert terminal("[/red]").plain == "[/red]"  # a Text: rich never parses it
    assert markup("[/red] \x07") == "\\[/red] \\x07"  # for rich's markup strings (progress)
    text = json_text({"a": "\x1b\x9b\x7f\u202e\u2028"})
    assert text == '{\n  "a": "\\u001b\\u009b\\u007f\\u202e\\u2028"\n}'
    assert json.loads(text) == {"a": "\x1b\x9b\x7f\u202e\u2028"}  # lossless


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_on_a_terminal_shows_a_path_with_markup(tmp_path: Path) -> None:
    """On a terminal, ingest shows each file's path in a progress line that rich parses as markup:
    a folder "x[" holding "red].xlsx" makes the path "x[/red].xlsx", which crashed the ingest."""
    folder = tmp_path / "r"
    (folder / "x[").mkdir(parents=True)
    shutil.copyfile(SAMPLES / "so-xay-dung.xlsx", folder / "x[" / "red].xlsx")
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "egovcli", "ingest", str(folder), "-w", str(tmp_path / "w.sqlite"), "-j1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT,
    )  # fmt: skip
    os.close(slave)
    shown = b""
    with contextlib.suppress(OSError):  # EIO once the process has closed the terminal
        while chunk := os.read(master, 65536):
            shown += chunk
    os.close(master)
    assert process.wait(timeout=120) == 0, shown.decode(errors="replace")[-2000:]
    assert "MarkupError" not in shown.decode(errors="replace")


def test_every_character_visible_escapes_is_unprintable() -> None:
    """`visible` passes a printable text through untouched: that is only safe while no character it
    escapes counts as printable (a Unicode update or a wider `_UNSAFE` would break it)."""
    from egovcli.untrusted import _UNSAFE

    escaped = [c for c in map(chr, range(0x110000)) if _UNSAFE.match(c)]
    assert escaped and not [c for c in escaped if c.isprintable()]
    assert visible("Sở Tư pháp\u202e") == "Sở Tư pháp\\u202e"
