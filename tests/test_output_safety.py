"""Output safety: text an agency submitted never becomes a formula, markup or a broken table; output
paths are taken literally; odd numbers (NaN, inf, 1e309, 5,000 digits, -0) never break parsing,
scoring or rendering, and never reach an output as NaN / inf.

The round is built at test time: one Excel report whose file name, agency name, data labels and
values carry the payloads, next to a shipped sample; it goes through ingest → score → rank.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import egov
from openpyxl import load_workbook

from egovcli.rank import rank_scores
from egovcli.render.export import spreadsheet_text, to_csv, to_json
from egovcli.render.summary import render_html, render_markdown, summary_context
from egovcli.render.workbook import write_ranking_workbook
from egovcli.score.model import AgencyScore, CriterionScore
from egovcli.untrusted import visible
from samples.generate import SEED_FACTS, info_for, seed_004_spec, with_scores, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
AGENCY = '=HYPERLINK("http://evil.example/?x";"Sở Tài chính") <script>alert(1)</script> | Sở Tài chính'
FILE = '=HYPERLINK("x") <img src=x onerror=alert(1)> | bao cao.xlsx'  # a file name is submitted text too
LABELS = {  # data lines of sheet "Báo cáo", column A: label, column B: value (as text cells)
    '=HYPERLINK("evil.example";"Bấm") Số máy chủ': "04 chiếc",
    "+1+1 Số máy in": "24 chiếc",
    "@SUM(A1) Số switch": "04 chiếc",
    " =1+1 Số firewall": "01 chiếc",
    "Số máy scanner | <b>đậm</b>": "02 chiếc",
    "Tổng số máy tính bảng": "1e309",
    "Tổng số máy tính xách tay": "NaN",
    "Tổng số máy tính để bàn": "-inf",
    "Số phòng họp trực tuyến": "inf",
    "Số IP tĩnh": "-0",
    "Tổng số điện thoại": "1E+20",
}
HUGE = "9" * 5000
SELF_SCORES = {"I.1": "1e309", "I.2": "NaN", "I.3.1": "-0", "I.4": HUGE, "I.5": "inf", "I.6": "-inf"}


def strict_json(text: str) -> Any:
    """json.loads that refuses NaN / Infinity (which json.dumps writes by default, invalid JSON)."""

    def refuse(token: str) -> None:
        raise ValueError(f"invalid JSON number {token}")

    return json.loads(text, parse_constant=refuse)


def numbers(value: Any) -> list[float]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value] if isinstance(value, float) else []


def payload_report(path: Path) -> Path:
    """Seed 004's Excel report with payloads in its agency, data lines and self-scores, all as text
    cells (an agency's own "=…" cells are text in what it submits, not formulas)."""
    seed = seed_004_spec()
    marker = "(5000 chữ số)"  # write_xlsx would turn the digits into a number cell
    rows = with_scores(seed.rows, {k: marker if v == HUGE else v for k, v in SELF_SCORES.items()})
    spec = dataclasses.replace(seed, agency=AGENCY, info=info_for(AGENCY, SEED_FACTS, rows), rows=rows)
    write_xlsx(spec, path)
    wb = load_workbook(path)
    report = wb["Báo cáo"]
    for label, value in LABELS.items():
        report.append([f"- {label}:", value])
    report.append(["- Tổng số máy tính trong kho:", HUGE])
    for sheet in wb:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.value == marker:
                    cell.value = HUGE
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("payloads")
    folder, ws = tmp / "reports", str(tmp / "ws.sqlite")
    folder.mkdir()
    payload_report(folder / FILE)
    shutil.copyfile(SAMPLES / "so-xay-dung.xlsx", folder / "so-xay-dung.xlsx")
    code, out, err = egov("ingest", str(folder), "-w", ws, "-j", "1", "--json")
    assert code == 0, err
    ingest = strict_json(out)
    code, out, err = egov("score", "--rules", "hanam-2022", "-w", ws, "-f", "json")
    assert code == 0, err
    scores = strict_json(out)
    out_dir = tmp / "out"
    code, out, err = egov(
        "rank", "-w", ws, "--out", str(out_dir / "ranking.xlsx"), "--md", str(out_dir / "summary.md"),
        "--html", str(out_dir / "summary.html"), "-f", "json",
    )  # fmt: skip
    assert code == 0, err
    ranked = strict_json(out)
    return {"ws": ws, "tmp": tmp, "out": out_dir, "ingest": ingest, "scores": scores, "rank": ranked}


def _payload_file(round_: dict[str, Any]) -> dict[str, Any]:
    (found,) = [f for f in round_["ingest"]["files"] if f["file"] == FILE]
    return found


# -- odd numbers ----------------------------------------------------------------------------------


def test_the_payload_report_is_read_under_its_own_agency_name(round_: dict[str, Any]) -> None:
    report = _payload_file(round_)
    assert report["status"] == "new" and report["agency"] == AGENCY
    assert {r["agency"] for r in round_["rank"]} == {AGENCY, "Sở Xây dựng tỉnh Hà Nam"}


def test_odd_numbers_become_problems_not_values(round_: dict[str, Any]) -> None:
    problems = _payload_file(round_)["problems"]
    impossible = {p["message"].split("'")[1] for p in problems if p["code"] == "W-IMPOSSIBLE-VALUE"}
    assert {"1e309", "1E+20"} <= impossible  # data lines
    unparsed = {p["message"].split("'")[1] for p in problems if p["code"] == "W-UNPARSED-VALUE"}
    assert {"1e309", "NaN", "inf", "-inf"} <= unparsed  # self-scores
    codes = ("W-UNPARSED-VALUE", "W-IMPOSSIBLE-VALUE")
    huge = [p for p in problems if p["code"] in codes and HUGE[:50] in p["message"]]
    assert huge and all(len(p["message"]) < 400 for p in huge)  # the self-score, cut for the message

    code, out, _ = egov("indicators", "-w", round_["ws"], "-f", "json")
    assert code == 0
    rows = [r for r in strict_json(out) if r["source_file"] == FILE]
    by_raw: dict[str, list[Any]] = {}
    for r in rows:
        by_raw.setdefault(r["raw_value"], []).append(r["value"])
    for raw in ("1e309", "NaN", "-inf", "inf", "1E+20", HUGE):
        assert set(by_raw[raw]) == {None}, raw
    assert by_raw["-0"] and all(v == 0 and math.copysign(1, v) == 1 for v in by_raw["-0"])  # not -0.0
    assert numbers(rows) and all(math.isfinite(n) for n in numbers(rows))


def test_a_5000_digit_figure_in_a_data_line_is_reported(round_: dict[str, Any]) -> None:
    problems = _payload_file(round_)["problems"]
    in_lines = [p for p in problems if p["location"].startswith("Báo cáo!") and HUGE[:50] in p["message"]]
    codes = {p["code"] for p in in_lines}
    assert codes == {"W-IMPOSSIBLE-VALUE"}


def test_scores_and_ranks_stay_finite(round_: dict[str, Any]) -> None:
    for output in ("scores", "rank"):
        assert numbers(round_[output]) and all(math.isfinite(n) for n in numbers(round_[output])), output
    rows = {r["criterion"]: r for r in round_["scores"] if r["agency"] == AGENCY}
    for criterion in ("I.1", "I.2", "I.4", "I.5", "I.6"):  # unreadable self-scores: never taken as points
        assert rows[criterion]["self_points"] is None, criterion
    assert rows["I.3.1"]["self_points"] == 0
    assert 0 <= rows["TOTAL"]["points"] <= rows["TOTAL"]["max_points"]


def test_json_exports_never_write_nan() -> None:
    rows = [{"value": math.nan, "total": math.inf, "rank": -math.inf, "zero": -0.0, "flags": ["a", "b"]}]
    text = to_json(rows, ["value", "total", "rank", "zero", "flags"])
    assert strict_json(text) == [{"value": None, "total": None, "rank": None, "zero": 0.0, "flags": "a;b"}]
    assert "-0" not in text
    assert to_csv(rows, ["value", "total", "rank", "zero"]) == "value,total,rank,zero\n,,,0\n"


# -- formulas -------------------------------------------------------------------------------------


def test_workbook_keeps_every_submitted_text_as_text(round_: dict[str, Any]) -> None:
    path = round_["out"] / "ranking.xlsx"
    wb = load_workbook(path)
    seen = set()
    for ws in wb:
        for line in ws.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert AGENCY in seen
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", z.read(n)) for n in sheets)


FORMULA_STARTS = [
    "=1+1", "+1+1", "-1+1", "@SUM(A1)", " =1+1", "  +1", "\t=1+1", "\r=1+1", "\n=1+1", "\r\n=1+1",
    " \t=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example";"Bấm")', "=1+1\r\ndòng 2",
]  # fmt: skip


def test_workbook_formula_starts_roundtrip_as_text(tmp_path: Path) -> None:
    names = [f"{payload} {word}" for payload, word in zip(FORMULA_STARTS, [*_words(), "sơn"], strict=True)]
    scores = [
        AgencyScore(name, "department", "2022", "hanam-2022", [
            CriterionScore("I.1", "I", name, 1.0, 10, "self", self_points=12, flags=["over_max"],
                           explanation=name, source_file=name, location=name),
        ])
        for name in names
    ]  # fmt: skip
    path = tmp_path / "x.xlsx"
    write_ranking_workbook(path, rank_scores(scores), scores, [("I", "Hạ tầng", 10)])
    wb = load_workbook(path)
    shown = {visible(name) for name in names}  # a carriage return is shown as \x0d, never obeyed
    found = {}
    for ws in wb:
        for line in ws.iter_rows():
            for cell in line:
                if cell.value in shown:
                    assert cell.data_type == "s", (ws.title, cell.coordinate, repr(cell.value))
                    found.setdefault(cell.value, set()).add(ws.title)
    assert set(found) == shown  # every one came back as written, control characters made visible
    assert all({"Sở, ban, ngành", "Chi tiết tiêu chí", "Kiểm tra"} <= sheets for sheets in found.values())


def _words() -> list[str]:
    return ["an", "bình", "cường", "dũng", "giang", "hải", "khánh", "lâm", "minh", "nam", "phong", "quang"]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://evil.example";"Bấm")', "'=HYPERLINK(\"http://evil.example\";\"Bấm\")"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        (" =1+1", "' =1+1"),
        ("- Máy chủ", "'- Máy chủ"),
        ("-3", "-3"),  # a number stays a number
        ("-2,5", "-2,5"),
        ("+84", "+84"),
        ("-", "-"),  # an agency's "none"
        ("Sở Tài chính", "Sở Tài chính"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_csv_defuses_text_a_spreadsheet_would_run(text: str, written: str) -> None:
    assert spreadsheet_text(text) == written


def test_csv_export_defuses_labels_and_json_keeps_them(round_: dict[str, Any]) -> None:
    code, out, _ = egov("indicators", "-w", round_["ws"], "-f", "csv")
    assert code == 0
    csv_rows = list(csv.DictReader(io.StringIO(out)))
    code, out, _ = egov("indicators", "-w", round_["ws"], "-f", "json")
    json_rows = strict_json(out)
    assert len(csv_rows) == len(json_rows)
    labels = {r["label"] for r in json_rows}
    assert '=HYPERLINK("evil.example";"Bấm") Số máy chủ' in labels  # JSON: exactly as read
    for c, j in zip(csv_rows, json_rows, strict=True):
        for column, value in c.items():
            head = value.lstrip(" \u00a0")[:1]
            if head in ("=", "+", "-", "@", "\t", "\r", "\n"):
                assert value in ("-", "+") or re.fullmatch(r"\s*[-+]?[\d.,]+(?:[eE][-+]?\d+)?\s*", value), (
                    column, value)  # fmt: skip
            if value.startswith("'"):
                assert value[1:] == str(j[column]), column  # one apostrophe, nothing else changed
    assert "'=HYPERLINK(\"evil.example\";\"Bấm\") Số máy chủ" in {r["label"] for r in csv_rows}
    code, out, _ = egov("score", "--rules", "hanam-2022", "-w", round_["ws"], "-f", "csv")
    agencies = {r["agency"] for r in csv.DictReader(io.StringIO(out))}
    assert "'" + AGENCY in agencies and AGENCY not in agencies


# -- markup ---------------------------------------------------------------------------------------


def test_html_summary_escapes_submitted_text(round_: dict[str, Any]) -> None:
    html = (round_["out"] / "summary.html").read_text(encoding="utf-8")
    # the one script element is egov's own: the run's manifest as JSON data, which no text can close
    manifest = re.search(r'<script type="application/json" id="egov-manifest">(.*?)</script>', html, re.S)
    assert manifest and json.loads(manifest.group(1))["egov_version"]
    html = html.replace(manifest.group(0), "")
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the file name, in the flags table


def test_markdown_summary_keeps_its_tables_whole(round_: dict[str, Any]) -> None:
    md = (round_["out"] / "summary.md").read_text(encoding="utf-8")
    assert r"\<script\>" in md and "<script>" not in md
    _assert_tables_whole(md)


def test_markdown_cells_survive_pipes_backslashes_and_line_breaks() -> None:
    nasty = ["Sở A | B", "Sở C\\|D", "Sở E\nF", "Sở G\r\nH", "Sở I\u2028J", "Sở K `code` *b* [l](x)"]
    scores = [
        AgencyScore(name, "department", "2022", "hanam-2022", [
            CriterionScore("I.1", "I", name, float(i), 10, "self", self_points=12, flags=["over_max"],
                           explanation=name, source_file=name, location=name),
        ])
        for i, name in enumerate(nasty)
    ]  # fmt: skip
    ranking = rank_scores(scores)
    ctx = summary_context(ranking, scores, [("I", "Hạ tầng | mạng", 10)], "Bộ | tiêu chí", "2022")
    md = render_markdown(ctx)
    _assert_tables_whole(md)
    assert r"Sở C\\\|D" in md  # the backslash escaped too, so the pipe stays escaped
    assert "Sở A | B" in render_html(ctx)


def _assert_tables_whole(md: str) -> None:
    tables = re.findall(r"(?:^\|.*\n)+", md, flags=re.M)
    assert tables
    for table in tables:
        cells = {len(re.findall(r"(?<!\\)(?:\\\\)*\|", line)) for line in table.splitlines()}
        assert len(cells) == 1, table  # every line has as many cells as the header


# -- output paths ---------------------------------------------------------------------------------

ODD_NAMES = ["a b $(touch pwned);*.xlsx", "`touch pwned2` & x.md", "x;rm -rf y*.html", "-y.csv", "'q\".json"]


def test_output_paths_are_taken_literally(
    round_: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ws = round_["ws"]
    xlsx, md, html, rows_csv, rows_json = ODD_NAMES
    assert egov("rank", "-w", ws, "--out", xlsx, "--md", md, "--html", html)[0] == 0
    assert egov("rank", "-w", ws, "--out", "./-x.xlsx")[0] == 0
    assert egov("rank", "-w", ws, "--out=-z.xlsx")[0] == 0
    assert egov("rank", "-w", ws, "-o", rows_csv)[0] == 0
    assert egov("score", "--rules", "hanam-2022", "-w", ws, "-f", "json", "--out", rows_json)[0] == 0
    assert egov("indicators", "-w", ws, "-f", "csv", "-o", "sub dir/*.csv")[0] == 0
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert made == sorted([*ODD_NAMES, "-x.xlsx", "-z.xlsx", "sub dir", "sub dir/*.csv"])  # nothing else
    assert load_workbook(tmp_path / xlsx)["Sở, ban, ngành"]["B4"].value
    assert load_workbook(tmp_path / "-z.xlsx")["Sở, ban, ngành"]["B4"].value
    assert (tmp_path / rows_csv).read_text(encoding="utf-8").startswith("rank,agency,")
    assert strict_json((tmp_path / rows_json).read_text(encoding="utf-8"))


def test_output_path_through_a_real_argv(round_: dict[str, Any], tmp_path: Path) -> None:
    names = ["$(touch pwned).xlsx", "-leading dash.md"]
    done = subprocess.run(
        [sys.executable, "-m", "egovcli", "rank", "-w", round_["ws"], "--out", names[0], f"--md={names[1]}"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("EGOV_")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_csv_cells_of_every_kind_are_written_as_the_one_cell_rule_says() -> None:
    """`RowWriter` writes the commonest cells inline (text, numbers, None, bools): each is exactly
    what `_csv_cell` makes of it, as the csv module writes it (NaN and ±inf empty, -0.0 as 0, a
    whole float as an integer, a formula start defused, control characters shown)."""
    from egovcli.render.export import RowWriter, _csv_cell

    values: list[object] = [
        "Sở Tài chính", "", " ", "=1+1", "- Máy chủ", "-3", "-", "a\x1bb", "\r=1", "a,b", 'x"y', "a\nb",
        "\u202eabc", 3.0, -0.0, 2.5, -1e16, 1e16, 1.5e-7, 123456789012.5, math.nan, math.inf, -math.inf,
        None, True, False, 3, [], ["over_max", "=x"], ["a\x1b"],
    ]
    rows = [{"a": v, "b": w} for v in values for w in values]
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows([[_csv_cell(r["a"]), _csv_cell(r["b"])]
                                                         for r in rows])
    assert RowWriter(io.StringIO(), ["a", "b"], "csv").text(rows) == expected.getvalue()
    alone = io.StringIO()
    csv.writer(alone, lineterminator="\n").writerows([[_csv_cell(v)] for v in values])
    assert RowWriter(io.StringIO(), ["a"], "csv").text([{"a": v} for v in values]) == alone.getvalue()


def test_csv_lines_are_the_csv_modules_for_any_mix_of_cells() -> None:
    """`RowWriter` joins a line's cells itself, quoting a cell as the csv module does (a comma, a
    quote, a line break; quotes doubled), and leaves a line of one cell or a carriage return to the
    module: any mix of cells gives the module's text, byte for byte; cells every row has (`head`, an
    agency's name, group and period) made once give the text they give in each row."""
    import random

    from egovcli.render.export import RowWriter, _csv_cell

    pieces = [",", '"', "\n", "\r", " ", "=", "-", "a", "Đ", "ể", "1", ".", "\x1b", "\u202e", '""', "1,5"]
    rng = random.Random(15)

    def value() -> object:
        kind = rng.randrange(6)
        if kind == 0:
            return rng.choice([None, True, False, [], ["a,b"], 2.5, -0.0, math.nan, 7])
        return "".join(rng.choice(pieces) for _ in range(rng.randrange(6)))

    for width in range(1, 6):
        columns = [f"c{i}" for i in range(width)]
        rows = [{c: value() for c in columns} for _ in range(400)]
        expected = _module_text([[_csv_cell(r[c]) for c in columns] for r in rows])
        assert RowWriter(io.StringIO(), columns, "csv").text(rows) == expected
        for lead in range(width):  # the same first cells in every row, made once (`head`)
            same = [{**rows[0], **{c: r[c] for c in columns[lead:]}} for r in rows]
            head = {c: rows[0][c] for c in columns[:lead]}
            rest = [{c: r[c] for c in columns[lead:]} for r in same]
            for fmt in ("csv", "json"):
                writer = RowWriter(io.StringIO(), columns, fmt)
                assert writer.text(rest, head) == writer.text(same)
    writer = RowWriter(io.StringIO(), ["a", "b"], "csv")
    assert writer._quoted(["x\ry", "1,2"], "x\ry,1,2") == _module_text([["x\ry", "1,2"]])[:-1]


def _module_text(rows: list[list[object]]) -> str:
    """The text the csv module writes for `rows`."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_text_handed_over_encoded_is_written_as_text_is(tmp_path: Path, fmt: str) -> None:
    """`egov score`'s workers hand each agency's text over UTF-8 encoded: written to the file's bytes
    (`write_encoded`), it makes the file `write_text` makes, byte-order mark, JSON brackets and commas
    included; a stream without bytes of its own takes it decoded."""
    from egovcli.render.export import RowWriter, for_excel, row_writer

    rows = [{"a": "Sở Tài chính, Hà Nam", "b": 1.5}, {"a": "UBND xã Đông Sơn", "b": None}]
    made: dict[str, bytes] = {}
    for_excel(True)
    try:
        for how in ("text", "encoded"):
            out = tmp_path / f"{how}.{fmt}"
            with row_writer(["a", "b"], fmt, out) as writer:
                for row in rows:
                    text = writer.text([row])
                    if how == "text":
                        writer.write_text(text)
                    else:
                        writer.write_encoded(text.encode("utf-8"))
                writer.write_encoded(b"")
            made[how] = out.read_bytes()
    finally:
        for_excel(False)
    assert made["encoded"] == made["text"]
    stream = io.StringIO()
    plain = RowWriter(stream, ["a", "b"], fmt)
    plain.write_encoded(plain.text(rows).encode("utf-8"))
    plain.close()
    assert stream.getvalue().encode("utf-8") in made["text"]
