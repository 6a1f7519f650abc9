"""The CLI in its users' language (issue 16 item 8): Vietnamese by default, English when asked;
--quiet; CSV for Excel; shell completion; `egov init` and egov.toml, so that a round is three short
commands; terminal tables that stay readable at 80 columns."""

from __future__ import annotations

import csv
import io
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from egovcli.cli import app
from egovcli.lang import EN, VI, choose
from egovcli.problems import LanguageError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def egov_process(*args: str, env: dict[str, str], cwd: Path | None = None, shell: list[str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
    """`egov` as a user starts it: a process of its own (or the `shell` command line that starts it),
    with exactly the environment `env`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "EGOV_"))}
    return subprocess.run(shell or [sys.executable, "-m", "egovcli", *args], capture_output=True, text=True,
                          env={**base, **env}, cwd=cwd, check=False)


# --- which language -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("argv", "env", "language", "rest"),
    [
        (["score"], {}, VI, ["score"]),
        (["score"], {"LANG": "C.UTF-8"}, VI, ["score"]),
        (["score"], {"LANG": "vi_VN.UTF-8"}, VI, ["score"]),
        (["score"], {"LANG": "en_US.UTF-8"}, EN, ["score"]),
        (["score"], {"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, VI, ["score"]),  # LC_ALL first
        (["score"], {"EGOV_LANG": "en", "LANG": "vi_VN.UTF-8"}, EN, ["score"]),
        (["--lang", "en", "score"], {"EGOV_LANG": "vi"}, EN, ["score"]),
        (["score", "--lang=vi", "-r", "x"], {"LANG": "en_GB.UTF-8"}, VI, ["score", "-r", "x"]),
        (["verify", "--", "--lang", "en"], {}, VI, ["verify", "--", "--lang", "en"]),  # a file named so
    ],
)
def test_the_language_of_a_command_line(argv: list[str], env: dict[str, str], language: str,
                                        rest: list[str]) -> None:
    assert choose(argv, env) == (language, rest)


def test_a_language_egov_does_not_speak_is_refused() -> None:
    with pytest.raises(LanguageError, match="'fr'"):
        choose(["--lang", "fr"], {})
    done = egov_process("--lang", "fr", "rank", env={})
    assert done.returncode == 2 and "'fr'" in done.stderr and "vi, en" in done.stderr


# --- help and usage errors ------------------------------------------------------------------------

def test_help_is_vietnamese_by_default_with_plain_value_types() -> None:
    code, out, _ = run("rank", "--help", env={"COLUMNS": "200"})
    assert code == 0
    assert "Cách dùng: egov rank" in out and "Tùy chọn" in out
    assert "Xếp hạng theo điểm chấm gần nhất" in out
    assert "(mặc định: competition)" in out and "competition|dense" in out
    assert "<bool>" not in out and "<str>" not in out and "Show this message" not in out


def test_help_in_english_with_lang_anywhere() -> None:
    code, out, _ = run("rank", "--help", "--lang", "en", env={"COLUMNS": "200"})
    assert code == 0
    assert "Usage: egov rank" in out and "Options" in out and "Rank the latest scores" in out
    assert "(default: competition)" in out and "Cách dùng" not in out


def test_usage_errors_in_each_language() -> None:
    code, _, err = run("score")
    assert code == 2 and "Thiếu tùy chọn '--rules'" in err and "Cách dùng: egov score" in err
    code, _, err = run("--lang", "en", "score")
    assert code == 2 and "Missing option '--rules'" in err and "Usage: egov score" in err
    code, _, err = run("ingest", "--jobs", "x", ".")
    assert code == 2 and "Giá trị không hợp lệ cho '--jobs'" in err and "cần một số nguyên" in err
    code, _, err = run("rank", "--bogus")
    assert code == 2 and "Không có tùy chọn --bogus" in err


def test_problems_are_told_in_the_commands_language(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.sqlite")
    code, _, err = run("rank", "-w", missing)
    assert code == 2 and "không tìm thấy workspace" in err and "[E-WORKSPACE-MISSING]" in err
    code, _, err = run("--lang", "en", "rank", "-w", missing)
    assert code == 2 and err.startswith("Error: No workspace") and "[E-WORKSPACE-MISSING]" in err
    assert not (tmp_path / "none.sqlite").exists()


def test_an_english_locale_speaks_english_and_egov_lang_decides_over_it() -> None:
    english = egov_process("score", env={"LANG": "en_US.UTF-8"})
    assert english.returncode == 2 and "Missing option" in english.stderr
    vietnamese = egov_process("score", env={"LANG": "en_US.UTF-8", "EGOV_LANG": "vi"})
    assert "Thiếu tùy chọn" in vietnamese.stderr
    assert "Thiếu tùy chọn" in egov_process("score", env={"LANG": "C"}).stderr


def test_shell_completion_script() -> None:
    """`egov --show-completion` prints the script for the shell it is run from: started by bash, as
    a user starts it (run straight from pytest, a shell is found only when pytest has one above it,
    so the test failed when pytest ran in the background)."""
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "egovcli", "--show-completion"))
    done = egov_process(env={}, shell=["bash", "-c", f"{command}; exit $?"])  # bash stays its parent
    assert done.returncode == 0 and "_EGOV_COMPLETE" in done.stdout and "complete -o" in done.stdout


# --- quiet, Excel CSV -----------------------------------------------------------------------------

def test_quiet_leaves_information_out_and_keeps_errors(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "a"), "-r", "hanam-2022")
    assert code == 0 and "Đã tạo" in err
    code, _, err = run("-q", "init", str(tmp_path / "b"), "-r", "hanam-2022")
    assert code == 0 and err == "" and (tmp_path / "b" / "egov.toml").is_file()
    code, _, err = run("init", str(tmp_path / "b"), "-r", "hanam-2022", "--quiet")
    assert code == 2 and "--force" in err  # an error is never quiet


def test_csv_for_excel_starts_with_a_bom_and_reads_the_same(tmp_path: Path) -> None:
    code, plain, _ = run("rules", "list", "-f", "csv")
    assert code == 0 and not plain.startswith("\ufeff")
    code, excel, _ = run("--excel", "rules", "list", "-f", "csv")
    assert code == 0 and excel.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(excel.removeprefix("\ufeff")))) == list(csv.reader(io.StringIO(plain)))
    out = tmp_path / "bo-tieu-chi.csv"
    assert run("rules", "list", "-o", str(out), "--excel")[0] == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["name"] for r in rows} >= {"hanam-2022", "hoabinh-2017", "dti-example-2025"}
    # the next command without --excel writes plain UTF-8 again (one process, as in the tests)
    assert not run("rules", "list", "-f", "csv")[1].startswith("\ufeff")


# --- egov init and egov.toml ----------------------------------------------------------------------

def _round(tmp_path: Path, rules: str = "hanam-2022") -> Path:
    folder = tmp_path / "dot-2022"
    assert run("init", str(folder), "--rules", rules)[0] == 0
    for report in sorted((SAMPLES / "hanam-2022").glob("*.xlsx"))[:3]:
        shutil.copy(report, folder / "bao-cao" / report.name)
    return folder


def test_a_round_is_three_short_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _round(tmp_path)
    config = (folder / "egov.toml").read_text(encoding="utf-8")
    assert 'rules = "hanam-2022"' in config and "Hà Nam" in config  # the rule set's title in its heading
    assert (folder / "agencies.csv").read_text(encoding="utf-8") == "id,name,group,aliases\n"
    monkeypatch.chdir(folder)
    monkeypatch.delenv("EGOV_WORKSPACE", raising=False)
    assert run("ingest")[0] == 0
    code, _, err = run("score", "-f", "csv")
    assert code == 0 and "/500 điểm" in err  # scored with the file's rule set, hanam-2022 (500 points)
    code, out, _ = run("rank")
    assert code == 0
    assert (folder / "egov.sqlite").is_file()
    for name in ("xep-hang.xlsx", "tom-tat.md", "tom-tat.html"):
        assert (folder / "ket-qua" / name).stat().st_size > 0
    assert "Sở" in (folder / "ket-qua" / "tom-tat.md").read_text(encoding="utf-8")


def test_the_annex_and_report_settings_of_egov_toml_reach_their_options(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """egov init's commented annex lines, uncommented, give `egov rank --docx` its file and the
    decision's number, date and issuer (keys as the Vietnamese help names the options); [report] out
    is where `egov report --all` writes."""
    folder = _round(tmp_path)
    config = folder / "egov.toml"
    text = config.read_text(encoding="utf-8")
    for key in ("docx", "so_quyet_dinh", "ngay_quyet_dinh", "co_quan_ban_hanh"):
        assert f"\n# {key} = " in text, key
        text = text.replace(f"\n# {key} = ", f"\n{key} = ")
    config.write_text(text.replace("UBND tỉnh …", "UBND tỉnh Hà Nam"), encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("EGOV_WORKSPACE", raising=False)
    assert run("ingest")[0] == 0 and run("score", "-f", "csv")[0] == 0
    code, _, err = run("rank")
    assert code == 0, err
    annex = [p.text for p in docx.Document(str(folder / "ket-qua" / "phu-luc.docx")).paragraphs]
    assert "(Kèm theo Quyết định số 125/QĐ-UBND ngày 15 tháng 01 năm 2026 của UBND tỉnh Hà Nam)" in annex
    code, _, err = run("report", "--all")
    assert code == 0, err
    assert sorted((folder / "ket-qua" / "co-quan").glob("*.html"))
    # the English names and the dashed spelling reach the same options
    config.write_text(text.replace("so_quyet_dinh", "decision-number").replace("125/QĐ", "7/QĐ"),
                      encoding="utf-8")
    assert run("rank")[0] == 0
    annex = [p.text for p in docx.Document(str(folder / "ket-qua" / "phu-luc.docx")).paragraphs]
    assert any(t.startswith("(Kèm theo Quyết định số 7/QĐ-UBND ngày 15 tháng 01") for t in annex)


def test_the_command_line_and_egov_workspace_win_over_the_file(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _round(tmp_path)
    monkeypatch.chdir(folder)
    elsewhere = tmp_path / "khac.sqlite"
    monkeypatch.setenv("EGOV_WORKSPACE", str(elsewhere))
    assert run("ingest")[0] == 0
    assert elsewhere.is_file() and not (folder / "egov.sqlite").exists()
    code, _, err = run("score", "-f", "csv", "--rules", "hoabinh-2017")
    assert code == 0 and "/100 điểm" in err and "/500 điểm" not in err  # hoabinh-2017, as the command says


def test_a_key_no_command_takes_is_refused_naming_the_file(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _round(tmp_path)
    config = folder / "egov.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[rank]", "[rank]\nxep_loai = true"),
                      encoding="utf-8")
    monkeypatch.chdir(folder)
    code, _, err = run("rank")
    assert code == 2 and "egov.toml" in err and "xep_loai" in err
    config.write_text("workspace = [\n", encoding="utf-8")
    code, _, err = run("rank")
    assert code == 2 and "egov.toml" in err and "không đọc được" in err


def test_egov_config_names_the_file(tmp_path: Path) -> None:
    folder = _round(tmp_path)
    code, _, _ = run("ingest", env={"EGOV_CONFIG": str(folder / "egov.toml"), "EGOV_WORKSPACE": ""})
    assert code == 0 and (folder / "egov.sqlite").is_file()  # paths relative to the file, not the cwd
    code, _, err = run("rank", env={"EGOV_CONFIG": str(tmp_path / "none.toml")})
    assert code == 2 and "none.toml" in err


def test_init_checks_the_rule_set_before_writing(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "x"), "--rules", "khong-co")
    assert code == 2 and "khong-co" in err and not (tmp_path / "x" / "egov.toml").exists()


# --- terminal tables ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("dti") / "egov.sqlite"
    folder = tmp_path_factory.mktemp("bao-cao")
    for report in sorted((SAMPLES / "dti-example-2025").glob("*.xlsx"))[:12]:
        shutil.copy(report, folder / report.name)
    assert run("ingest", str(folder), "-w", str(ws))[0] == 0
    assert run("score", "-r", "dti-example-2025", "-w", str(ws), "-f", "csv")[0] == 0
    return ws


@pytest.mark.parametrize("width", [80, 120])
def test_the_rank_table_fits_the_screen_and_says_what_it_hid(ranked: Path, width: int) -> None:
    code, out, _ = run("rank", "-w", str(ranked), env={"COLUMNS": str(width)})
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= width
    header = " ".join(line for line in out.splitlines()[:5])
    for heading in ("Hạng", "Cơ quan", "Tổng", "Chỉ số"):  # rank, name and result stay, detail goes first
        assert heading in header
    assert "commune" not in out
    if width == 80:  # what was hidden, and where to see it
        note = " ".join(out.split()).split("(Ẩn ")[1]
        assert note.startswith("3 cột cho vừa màn hình: Nhóm, Kỳ, Điểm tối đa;") and "--format csv" in note
    else:
        assert "UBND xã, phường, đặc khu" in out  # the group as the rule set titles it
    cells = " ".join(" ".join(line.strip("│ ").split(" │ ")[1:2]) for line in out.splitlines())
    for name in ("UBND phường Trần Hưng Đạo", "UBND xã Hoàng Long"):
        assert name in " ".join(cells.split())  # a long name wraps inside its cell, never cut


def test_a_wide_screen_shows_every_column_that_holds_something(ranked: Path) -> None:
    code, out, _ = run("rank", "-w", str(ranked), env={"COLUMNS": "400"})
    assert code == 0 and "Ẩn " not in out
    assert "Chỉ số (0–1)" in out and "Điểm tối đa" in out
    assert "Kỳ trước" not in out  # no previous period in this workspace: the empty columns are left out


def test_report_template_and_init_speak_the_commands_language_and_hush_with_quiet(
        ranked: Path, tmp_path: Path) -> None:
    """What egov report, egov template and egov init print: Vietnamese by default, English with
    --lang en, nothing with --quiet (the files are written all the same)."""
    pages = tmp_path / "trang"
    code, _, err = run("report", "-w", str(ranked), "--all", "-o", str(pages))
    assert code == 0 and err.startswith("Đã ghi ") and "Wrote" not in err
    code, _, err = run("--lang", "en", "report", "-w", str(ranked), "--all", "-o", str(pages))
    assert code == 0 and err.startswith("Wrote ") and "Đã ghi" not in err
    code, _, err = run("-q", "report", "-w", str(ranked), "--all", "-o", str(pages))
    assert code == 0 and err == "" and sorted(pages.glob("*.docx"))
    form = str(tmp_path / "mau.xlsx")
    code, _, err = run("template", "-r", "dti-example-2025", "-g", "commune", "-o", form)
    assert code == 0 and err.startswith(f"Đã ghi {form}: mẫu báo cáo ")
    code, _, err = run("--lang", "en", "template", "-r", "dti-example-2025", "-g", "commune", "-o", form)
    assert code == 0 and err.startswith(f"Wrote {form}: the form of ") and "criteria" in err
    assert run("-q", "template", "-r", "dti-example-2025", "-g", "commune", "-o", form)[2] == ""
    code, _, err = run("--lang", "en", "init", str(tmp_path / "dot"), "-r", "hanam-2022")
    assert code == 0 and err.startswith("Created ") and "Next: put the reports" in err
    assert "Đã tạo" not in err and "Tiếp theo" not in err


def test_the_errors_of_report_template_and_the_annex_keep_their_detail_in_english(
        ranked: Path, tmp_path: Path) -> None:
    """With --lang en an error still says what was wrong (the closest agency names, the groups a rule
    set has, the date that is none), not only what its code means; Vietnamese by default."""
    code, _, err = run("--lang", "en", "report", "-w", str(ranked), "--agency", "UBND xa An Binh X",
                       "-o", str(tmp_path))
    assert code == 2 and "no agency 'UBND xa An Binh X'" in err and "Closest: UBND xã" in err
    code, _, err = run("report", "-w", str(ranked), "--agency", "UBND xa An Binh X", "-o", str(tmp_path))
    assert code == 2 and "không có cơ quan 'UBND xa An Binh X'" in err and "Tên gần nhất: UBND xã" in err
    code, _, err = run("--lang", "en", "report", "-w", str(ranked), "-o", str(tmp_path))
    assert code == 2 and "--agency NAME" in err and "--all" in err
    code, _, err = run("--lang", "en", "template", "-r", "hanam-2022", "-g", "xyz", "-o",
                       str(tmp_path / "m.xlsx"))
    assert code == 2 and "no group 'xyz'" in err and "district (UBND cấp huyện)" in err
    code, _, err = run("--lang", "en", "template", "-r", "hanam-2022", "-g", "department", "-o",
                       str(tmp_path / "m.pdf"))
    assert code == 2 and ".xlsx or .docx" in err
    code, _, err = run("--lang", "en", "rank", "-w", str(ranked), "--docx", str(tmp_path / "p.docx"),
                       "--ngay-quyet-dinh", "31/02/2026")
    assert code == 2 and "'31/02/2026' is no date" in err
    code, _, err = run("--lang", "en", "init", str(tmp_path / "dot"), "-r", "hanam-2022")
    code, _, err = run("--lang", "en", "init", str(tmp_path / "dot"), "-r", "hanam-2022")
    assert code == 2 and "add --force" in err
    assert list(tmp_path.glob("*.docx")) == list(tmp_path.glob("*.xlsx")) == []


def test_the_ingest_report_speaks_the_commands_language(tmp_path: Path) -> None:
    folder = tmp_path / "bao-cao"
    folder.mkdir()
    report = sorted((SAMPLES / "hanam-2022").glob("*.xlsx"))[0]
    shutil.copy(report, folder / report.name)
    code, _, err = run("--lang", "en", "ingest", str(folder), "-w", str(tmp_path / "en.sqlite"), "--all")
    assert code == 0
    assert "Files read in" in err and "Agency" in err and "│ new" in err and "Total: new 1" in err
    assert "Cơ quan" not in err and "mới" not in err
    code, _, err = run("ingest", str(folder), "-w", str(tmp_path / "vi.sqlite"), "--all")
    assert code == 0 and "Kết quả đọc thư mục" in err and "Cơ quan" in err and "Tổng: mới 1" in err


def test_score_tells_its_totals_in_the_commands_language_and_quiet_hushes_them(ranked: Path) -> None:
    code, _, err = run("--lang", "en", "score", "-r", "dti-example-2025", "-w", str(ranked), "-f", "csv")
    assert code == 0 and "/1000 points, index 0," in err and " agencies; " in err and "điểm" not in err
    code, _, err = run("score", "-r", "dti-example-2025", "-w", str(ranked), "-f", "csv")
    assert code == 0 and "/1000 điểm, chỉ số 0," in err and " cơ quan; " in err
    code, out, err = run("-q", "score", "-r", "dti-example-2025", "-w", str(ranked), "-f", "csv")
    assert code == 0 and err == "" and out.startswith("agency,")
