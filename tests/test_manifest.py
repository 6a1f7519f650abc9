"""The reproducibility manifest (issue 16, item 5): `egov rank --manifest run.json` writes which egov,
rule set (id + sha256 of its YAML), input files (sha256), adjustments, options and time made a ranking;
the summaries record it; and re-running ingest → score → rank from the manifest's inputs in a fresh
workspace gives byte-identical outputs (xlsx, md, html, csv and the manifest itself)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from helpers import egov

from egovcli import __version__, api
from egovcli.render.manifest import Manifest, manifest_pairs

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FOLDER = SAMPLES / "hanam-2022"
ADJUSTMENTS = SAMPLES / "hanam-2022-adjustments.csv"
OUTPUTS = ("ranking.xlsx", "summary.md", "summary.html", "ranking.csv", "run.json")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ok(*args: str) -> str:
    code, out, err = egov(*args)
    assert code == 0, err
    return out


def _round(tmp: Path, rules: str, adjustments: Path, ties: str) -> Path:
    """ingest → score → rank into `tmp` (a fresh workspace): the workbook, summaries, manifest, CSV."""
    ws = str(tmp / "egov.sqlite")
    _ok("ingest", str(FOLDER), "-w", ws)
    _ok("score", "--rules", rules, "-w", ws, "--adjustments", str(adjustments), "-f", "csv")
    _ok("rank", "-w", ws, "--ties", ties, "--out", str(tmp / "ranking.xlsx"), "--md", str(tmp / "summary.md"),
        "--html", str(tmp / "summary.html"), "--manifest", str(tmp / "run.json"))
    _ok("rank", "-w", ws, "--ties", ties, "--out", str(tmp / "ranking.csv"))
    return tmp


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _round(tmp_path_factory.mktemp("first"), "hanam-2022", ADJUSTMENTS, "dense")


def test_the_manifest_names_what_made_the_run(first: Path) -> None:
    manifest = json.loads((first / "run.json").read_text(encoding="utf-8"))
    assert list(manifest) == list(Manifest.__dataclass_fields__)  # the declared order, always
    assert manifest["egov_version"] == __version__
    assert manifest["rules"] == "hanam-2022"
    rules_text = api.load_rules("hanam-2022").text
    assert manifest["rules_sha256"] == hashlib.sha256(rules_text.encode("utf-8")).hexdigest()
    assert (manifest["adjustments_file"], manifest["adjustments_sha256"], manifest["adjustments_rows"]) == (
        ADJUSTMENTS.name, _sha256(ADJUSTMENTS), 2)
    assert manifest["options"] == {"ties": "dense"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["time"])
    reports = sorted(p for p in FOLDER.iterdir() if p.suffix in (".xlsx", ".docx", ".pdf"))
    assert {f["path"]: f["sha256"] for f in manifest["inputs"]} == {
        f"hanam-2022/{p.name}": _sha256(p) for p in reports
    }
    assert all(f["status"] in ("ok", "warning") and f["period"] == "2022" for f in manifest["inputs"])


def test_every_summary_records_the_manifest(first: Path) -> None:
    manifest = json.loads((first / "run.json").read_text(encoding="utf-8"))
    html = (first / "summary.html").read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="egov-manifest">(.*?)</script>', html, re.S)
    assert embedded and json.loads(embedded.group(1)) == manifest
    assert "Thông tin lần chạy" in html and manifest["rules_sha256"] in html
    md = (first / "summary.md").read_text(encoding="utf-8")
    assert "## Thông tin lần chạy" in md
    assert f"- Mã băm bộ tiêu chí (sha256): {manifest['rules_sha256']}" in md
    assert "- Tệp đầu vào: 8 tệp" in md


def test_rerunning_from_the_manifest_gives_byte_identical_outputs(
    first: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = json.loads((first / "run.json").read_text(encoding="utf-8"))
    # the manifest's inputs: the same files (checked by hash), rule set, adjustments, options and time
    for f in manifest["inputs"]:
        assert _sha256(SAMPLES / f["path"]) == f["sha256"]
    assert _sha256(ADJUSTMENTS) == manifest["adjustments_sha256"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(manifest["source_date_epoch"]))
    again = _round(tmp_path, manifest["rules"], SAMPLES / manifest["adjustments_file"],
                   manifest["options"]["ties"])
    for name in OUTPUTS:
        assert (again / name).read_bytes() == (first / name).read_bytes(), name


def test_source_date_epoch_sets_the_time_and_a_bad_one_is_refused(
    first: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = str(first / "egov.sqlite")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _ok("rank", "-w", ws, "--manifest", str(tmp_path / "run.json"), "-o", str(tmp_path / "r.csv"))
    manifest = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert (manifest["time"], manifest["source_date_epoch"]) == ("2026-01-01T00:00:00Z", 1767225600)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "hôm nay")
    code, _, err = egov("rank", "-w", ws, "--manifest", str(tmp_path / "bad.json"),
                        "-o", str(tmp_path / "b.csv"))
    assert code == 2 and "SOURCE_DATE_EPOCH" in err and not (tmp_path / "bad.json").exists()


def test_the_manifest_alone_on_stdout_and_its_pairs(first: Path) -> None:
    ws = str(first / "egov.sqlite")
    out = _ok("rank", "-w", ws, "--ties", "dense", "--manifest", "-", "--out", str(first / "again.csv"))
    assert json.loads(out) == json.loads((first / "run.json").read_text(encoding="utf-8"))
    code, _, err = egov("rank", "-w", ws, "--manifest", "-")  # the rows take stdout already
    assert code == 2 and "--manifest" in err
    with api.open_workspace(ws, readonly=True) as opened:
        pairs = dict(manifest_pairs(api.rank_manifest(opened, api.rank_workspace(opened))))
    assert pairs["Phiên bản egov"] == __version__ and pairs["Tùy chọn"] == "ties = competition"
    assert pairs["Điều chỉnh sau thẩm định"].startswith("hanam-2022-adjustments.csv (2 dòng, sha256 ")


def test_the_manifest_never_replaces_the_workspace_or_a_report(first: Path) -> None:
    ws = first / "egov.sqlite"
    before = ws.read_bytes()
    for target in (ws, FOLDER / "so-tai-chinh.docx"):
        code, _, err = egov("rank", "-w", str(ws), "--manifest", str(target), "-o", str(first / "r2.csv"))
        assert code == 2 and str(target.name) in err, err
    assert ws.read_bytes() == before and not (first / "r2.csv").exists()
