"""The reproducibility manifest of a ranking: which egov, rule set, input files, adjustments and options
made it, and when (`egov rank --manifest run.json`; every summary carries it).

Re-running ingest → score → rank from the manifest's inputs gives byte-identical outputs, so nothing in
it may change from run to run: the time is `SOURCE_DATE_EPOCH` when set (the reproducible-builds
convention), else the time the ranked scoring run was stored in the workspace — the same for every
`egov rank` of that run. A re-run in a fresh workspace sets `SOURCE_DATE_EPOCH` to the manifest's
`source_date_epoch`. Input files are named by the ingested folder's name and the path inside it (never
the absolute path, which would publish the user's folders and differ between machines).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import asdict, dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

import egovcli
from egovcli.problems import UsageError
from egovcli.score.adjust import AdjustmentSet
from egovcli.textnorm import vi_number
from egovcli.untrusted import json_text

if TYPE_CHECKING:
    from egovcli.rules.model import RuleSet
    from egovcli.workspace import Workspace

EPOCH_ENV = "SOURCE_DATE_EPOCH"
# the statuses of a stored submission, as the run sheet says them
_STATUS_WORDS = {"ok": "đã đọc", "warning": "đã đọc, có cảnh báo", "failed": "không đọc được",
                 "superseded": "bị thay thế"}


@dataclass(frozen=True, slots=True)
class InputFile:
    """One report stored in the workspace: `path` is the ingested folder's name / the path inside it."""

    path: str
    sha256: str
    agency: str
    period: str
    status: str  # ok | warning | failed | superseded


@dataclass(frozen=True, slots=True)
class Manifest:
    """What produced a ranking; `as_dict()` (and `to_json()`) keep the fields' order, so the same run
    always gives the same bytes."""

    egov_version: str
    time: str  # ISO 8601 UTC, "2026-12-03T16:36:00Z"
    source_date_epoch: int  # the same instant, for SOURCE_DATE_EPOCH when re-running
    rules: str  # the rule set's name as scored ("hanam-2022", a file's name)
    rules_title: str
    rules_sha256: str  # of the rule set's YAML text, as scored
    adjustments_file: str  # "" when the run applied none
    adjustments_sha256: str
    adjustments_rows: int
    agencies_sha256: str  # the agency registry (agencies.csv) ingest used; "" none
    mapping_sha256: str  # the label mapping (mapping.csv) ingest used; "" none
    options: dict[str, str]
    inputs: tuple[InputFile, ...]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def to_json(self) -> str:
        """The manifest as JSON text (submitted text escaped: `untrusted.json_text`), ending in a newline."""
        return json_text(self.as_dict()) + "\n"


def _utc(epoch: int) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_time(stored: str) -> int:
    """The manifest's time (seconds since 1970, UTC): SOURCE_DATE_EPOCH when set, else `stored` (the
    scoring run's "YYYY-MM-DDTHH:MM:SSZ"). Where it came from is not recorded: a re-run under
    SOURCE_DATE_EPOCH must give the same bytes. UsageError for a SOURCE_DATE_EPOCH that is no integer."""
    given = os.environ.get(EPOCH_ENV, "").strip()
    if given:
        try:
            return int(given)
        except ValueError:
            message = f"{EPOCH_ENV}={given!r}: cần là số giây kể từ 1970-01-01 00:00 UTC (một số nguyên)."
            raise UsageError(message) from None
    when = datetime.datetime.strptime(stored, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    return int(when.timestamp())


def _input_path(path: str, display_path: str) -> str:
    """The ingested folder's name and the path inside it: "hanam-2022/SoTaiChinh.xlsx"."""
    full, shown = PurePath(path), PurePath(display_path)
    root = full.parents[len(shown.parts) - 1] if len(shown.parts) <= len(full.parts) - 1 else full.parent
    return f"{root.name}/{display_path}" if root.name else display_path


def build_manifest(ws: Workspace, rules: RuleSet, options: dict[str, str]) -> Manifest:
    """The manifest of a ranking of `ws`'s latest scoring run under `rules` (as that run stored them),
    with the command's `options` (those that change what is written, e.g. {"ties": "competition"})."""
    run = ws.latest_run()
    stored = str(run["created_at"]) if run is not None else "1970-01-01T00:00:00Z"
    epoch = run_time(stored)
    adjustments = None
    if run is not None:
        _, text = ws.run_adjustments(int(run["id"]))
        adjustments = AdjustmentSet.from_json(text) if text else None
    inputs = tuple(sorted(
        (InputFile(_input_path(s.path, s.display_path), s.sha256, s.agency, s.period, s.status)
         for s in ws.submissions()),
        key=lambda f: (f.path, f.sha256),
    ))
    mapping = ws.meta("mapping_sha256") or ""
    return Manifest(
        egov_version=egovcli.__version__,
        time=_utc(epoch),
        source_date_epoch=epoch,
        rules=str(run["rules"]) if run is not None else rules.name,
        rules_title=rules.title,
        rules_sha256=str(run["rules_sha256"]) if run is not None else "",
        adjustments_file=adjustments.file if adjustments else "",
        adjustments_sha256=adjustments.sha256 if adjustments else "",
        adjustments_rows=len(adjustments.rows) if adjustments else 0,
        agencies_sha256=ws.meta("agencies_sha256") or "",
        mapping_sha256="" if mapping == "-" else mapping,  # "-": re-map pending, no mapping file's hash
        options=dict(sorted(options.items())),
        inputs=inputs,
    )


def manifest_pairs(manifest: Manifest) -> list[tuple[str, str]]:
    """The manifest as (Vietnamese label, value) lines, for a run sheet or a document's last page; the
    input files are counted here (the JSON lists each one)."""
    statuses: dict[str, int] = {}
    for f in manifest.inputs:
        statuses[f.status] = statuses.get(f.status, 0) + 1
    counted = ", ".join(f"{n} {_STATUS_WORDS.get(s, s)}" for s, n in sorted(statuses.items()))
    adjustments = "không có"
    if manifest.adjustments_file:
        adjustments = (f"{manifest.adjustments_file} ({manifest.adjustments_rows} dòng,"
                       f" sha256 {manifest.adjustments_sha256})")
    options = "; ".join(f"{k} = {v}" for k, v in manifest.options.items()) or "mặc định"
    return [
        ("Phiên bản egov", manifest.egov_version),
        ("Thời điểm", f"{manifest.time} (UTC)"),
        ("Bộ tiêu chí", f"{manifest.rules} — {manifest.rules_title}"),
        ("Mã băm bộ tiêu chí (sha256)", manifest.rules_sha256),
        ("Điều chỉnh sau thẩm định", adjustments),
        ("Danh sách cơ quan (sha256)", manifest.agencies_sha256 or "không dùng"),
        ("Bảng ánh xạ nhãn (sha256)", manifest.mapping_sha256 or "không dùng"),
        ("Tùy chọn", options),
        ("Tệp đầu vào", f"{vi_number(len(manifest.inputs), 0)} tệp ({counted or 'không có'})"),
    ]
