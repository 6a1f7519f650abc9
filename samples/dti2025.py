"""Generate the dti-example-2025 sample round: DTI-style self-assessment forms of a fictional merged
province ("tỉnh Hải Sơn", after 1 July 2025), its 2024 predecessors' round, agencies.csv and
expected.json.

Every form is the criteria table of `egovcli/rules/dti-example-2025.yaml` (an illustrative rule set
modelled on the public DTI structure, not an official decision) in the DTI shape
`STT | Chỉ số / Chỉ số thành phần | Điểm tối đa | Cách xác định và tính điểm | Tài liệu kiểm chứng |
Điểm tự đánh giá` (+ `Điểm thẩm định` after the appraisal council, in some), under a THÔNG TIN CHUNG
block with the figures the data-scored components read. The sở/ban/ngành and UBND xã/phường/đặc khu
get the components of their group, plus the unscored pillar VII ("theo dõi, không tính điểm").
Figures and self-scores are drawn from a fixed seed per unit; expected.json is computed here from
them, never typed by hand.

It also writes the criteria decision the rule set could have been drafted from
(samples/dti-example-2025-quyet-dinh.docx, for `egov rules draft`: docs/rules.md, "Từ quyết định đến
bộ tiêu chí").

Usage: python -m samples.dti2025 [OUT_DIR [PREVIOUS_DIR [DECISION]]]
       (default: samples/dti-example-2025 samples/dti-example-2024 samples/dti-example-2025-quyet-dinh.docx)
"""

from __future__ import annotations

import json
import random
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
import yaml
from docx.enum.section import WD_ORIENTATION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import egovcli
from samples.generate import competition_ranks, freeze_zip, register_fonts

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "dti-example-2025"
PREVIOUS_OUT = HERE / "dti-example-2024"
RULES_FILE = Path(egovcli.__file__).resolve().parent / "rules" / "dti-example-2025.yaml"
RULES = "dti-example-2025"
PROVINCE = "Hải Sơn"
TIMES = {2025: datetime(2025, 12, 10, 8, 0, 0), 2024: datetime(2024, 12, 10, 8, 0, 0)}
HEADER = ("STT", "Chỉ số / Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm",
          "Tài liệu kiểm chứng", "Điểm tự đánh giá")
APPRAISAL_HEADER = "Điểm thẩm định"
DEPARTMENT, COMMUNE = "department", "commune"
PILLAR_MAX = 100  # every pillar is scored out of 100 on the form; the rule set's weights scale them
DECIMALS = 4  # the index is published with 4 decimals

# The unscored pillar (DTI's "theo dõi, không tính điểm"): on every form, not in the rule set's total.
UNSCORED = {"id": "VII", "title": "KINH TẾ SỐ, XÃ HỘI SỐ TRÊN ĐỊA BÀN (theo dõi, không tính điểm)"}
UNSCORED_CRITERIA: tuple[dict[str, Any], ...] = (
    {"id": "VII.1", "tt": "1", "max": 40,
     "label": "Tỷ lệ người dân từ 14 tuổi trở lên có tài khoản định danh điện tử mức độ 2 được kích hoạt",
     "formula_text": "Điểm = Tỷ lệ % × điểm tối đa",
     "evidence": "Số liệu của Công an tỉnh"},
    {"id": "VII.2", "tt": "2", "max": 30, "label": "Tỷ lệ giao dịch thanh toán không dùng tiền mặt tại "
     "cơ quan, đơn vị", "formula_text": "Điểm = Tỷ lệ % × điểm tối đa", "evidence": "Sao kê, báo cáo"},
    {"id": "VII.3", "tt": "3", "max": 30, "label": "Hộ kinh doanh, hợp tác xã được hướng dẫn sử dụng nền "
     "tảng số", "formula_text": "Lấy điểm cao nhất của: mỗi 10 hộ được 3 điểm, tối đa 30 điểm; có chương "
     "trình hỗ trợ hộ kinh doanh chuyển đổi số: 15 điểm", "evidence": "Danh sách hộ; chương trình hỗ trợ"},
)


# ── the criteria table, from the rule set ──────────────────────────────────────


@dataclass(frozen=True)
class Component:
    """One chỉ số thành phần of the form: the rule set's criterion as printed."""

    id: str  # "III.5"
    tt: str
    label: str
    max: float
    formula_text: str
    evidence: str
    groups: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    manual: bool = True  # scored from the self-assessment (no indicator read)

    @property
    def pillar(self) -> str:
        return self.id.split(".")[0]

    def applies(self, group: str) -> bool:
        return not self.groups or group in self.groups


@dataclass(frozen=True)
class Pillar:
    id: str
    title: str
    scored: bool
    components: tuple[Component, ...]


def load_pillars(path: Path = RULES_FILE) -> list[Pillar]:
    """The rule set's pillars and components, then the unscored pillar VII when the rule set does not
    have it (a weight of 0 is refused until the engine shows uncounted pillars: docs/rules.md §6)."""
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    weight = rules.get("weights", {})
    counted = {s["id"]: weight.get(s["id"], 1) != 0 and s.get("counted", True) for s in rules["sections"]}
    components = [  # an uncounted pillar's components are printed for self-assessment only
        Component(c["id"], c["tt"], c["label"], c["max"], c.get("formula_text", ""), c.get("evidence", ""),
                  tuple(c.get("groups", ())), tuple(c["inputs"]),
                  manual=not c["inputs"] or not counted[c["section"]])
        for c in rules["criteria"]
    ]
    pillars = [Pillar(s["id"], s["title"], counted[s["id"]],
                      tuple(c for c in components if c.pillar == s["id"]))
               for s in rules["sections"]]
    if all(p.id != UNSCORED["id"] for p in pillars):
        unscored = tuple(Component(c["id"], c["tt"], c["label"], c["max"], c["formula_text"], c["evidence"])
                         for c in UNSCORED_CRITERIA)
        pillars.append(Pillar(UNSCORED["id"], UNSCORED["title"], False, unscored))
    return pillars


def weights(path: Path = RULES_FILE) -> dict[str, float]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8"))["weights"])


# ── what a unit reports ────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Figures:
    """The THÔNG TIN CHUNG figures the data-scored components read."""

    staff: int
    computers: int
    networked: int
    antivirus: int
    govnet: bool
    trained: int
    it_staff: int
    plan: bool
    security_policy: bool
    firewalls: int
    signed: tuple[int, int]  # outgoing documents signed digitally / all outgoing
    procedures: int
    dvc_full: int  # procedures offered fully online ("mức độ 4", toàn trình)
    online_percent: float  # dossiers received and settled fully online, in % (one decimal)
    resolved: int
    on_time: int
    national: tuple[int, int]  # online services on the national portal / all online services
    scanners: int | None = None  # communes only
    video_rooms: int | None = None  # communes only


def _yes(value: bool) -> str:
    return "Có" if value else "Không"


def _percent(value: float) -> str:
    return f"{value:g}".replace(".", ",") + "%"


def info_pairs(name: str, f: Figures) -> list[tuple[str, str]]:
    """THÔNG TIN CHUNG: (label, value), labels as the catalogue's aliases read them."""
    pairs = [
        ("Tên cơ quan, đơn vị", name),
        ("Tổng số cán bộ, công chức, viên chức, người lao động", str(f.staff)),
        ("Tổng số máy tính được trang bị", str(f.computers)),
        ("Số máy tính có kết nối Internet", str(f.networked)),
        ("Tổng số máy tính được trang bị phần mềm diệt virus có bản quyền", str(f.antivirus)),
        ("Kết nối mạng truyền số liệu chuyên dùng", _yes(f.govnet)),
        ("Tổng số người đã được đào tạo về CNTT", str(f.trained)),
        ("Số cán bộ chuyên trách về CNTT của cơ quan", str(f.it_staff)),
        ("Ban hành kế hoạch CNTT năm", _yes(f.plan)),
        ("Quy chế đảm bảo an toàn thông tin mạng", _yes(f.security_policy)),
        ("Firewall", str(f.firewalls)),
        ("Tỷ lệ văn bản đi được ký số", f"{f.signed[0]}/{f.signed[1]}"),
        ("Số TTHC", str(f.procedures)),
        ("Số lượng DVC TT mức độ 4", str(f.dvc_full)),
        ("Tỷ lệ hồ sơ trực tuyến mức độ 4", _percent(f.online_percent)),
        ("Tổng số hồ sơ đã giải quyết", str(f.resolved)),
        ("Tổng số hồ sơ được giải quyết đúng hạn", str(f.on_time)),
        ("Số lượng DVC trực tuyến đã tích hợp trên Cổng DVC Quốc gia", f"{f.national[0]}/{f.national[1]}"),
    ]
    if f.scanners is not None:
        pairs.append(("Máy Scanner", str(f.scanners)))
    if f.video_rooms is not None:
        pairs.append(("Phòng họp trực tuyến", str(f.video_rooms)))
    return pairs


def _share(part: float, whole: float) -> float:
    return min(part / whole, 1.0)


def _banded(share: float, top: float, full: float, low: float, over: float | None = None) -> float:
    """"từ full trở lên: max; từ low: tỷ lệ (÷ over) × max; dưới low: 0"."""
    if share >= full:
        return top
    if share >= low:
        return min(share / over, 1.0) * top if over else share * top
    return 0.0


def _steps(value: int, steps: tuple[tuple[int, float], ...]) -> float:
    return next((points for least, points in steps if value >= least), 0.0)


# Components scored from the figures (the rule set's formulas, written again here independently):
# criterion → points from the figures and the maximum.
DATA_RULES: dict[str, Callable[[Figures, float], float]] = {
    "I.1": lambda f, top: top if f.plan else 0.0,
    "III.1": lambda f, top: _share(f.computers, f.staff) * top,
    "III.2": lambda f, top: _share(f.networked, f.computers) * top,
    "III.3": lambda f, top: top if f.govnet else 0.0,
    "III.5": lambda f, top: _steps(f.scanners or 0, ((3, top), (2, 12), (1, 6))),
    "III.6": lambda f, top: top if f.video_rooms else 0.0,
    "IV.1": lambda f, top: _banded(f.trained / f.staff, top, 0.8, 0.5),
    "IV.2": lambda f, top: _steps(f.it_staff, ((2, top), (1, 15))),
    "V.1": lambda f, top: top if f.security_policy else 0.0,
    "V.2": lambda f, top: _share(f.antivirus, f.computers) * top,
    "V.3": lambda f, top: top if f.firewalls else 0.0,
    "VI.1": lambda f, top: _banded(f.signed[0] / f.signed[1], top, 0.9, 0.5),
    "VI.2": lambda f, top: _banded(f.dvc_full / f.procedures, top, 0.8, 0.3, over=0.8),
    "VI.3": lambda f, top: min(f.online_percent / 100, 1.0) * top,
    "VI.4": lambda f, top: _banded(f.on_time / f.resolved, top, 0.98, 0.9),
    "VI.5": lambda f, top: _share(*f.national) * top,
}


@dataclass(frozen=True)
class Unit:
    """One submission: who, in which file and format, what it reports and claims."""

    file: str
    name: str  # as written in the form ("UBND P. Hồng Hà")
    group: str
    figures: Figures
    self_scores: dict[str, float]  # every component of its group, VII included
    appraisal: dict[str, float] | None = None  # the "Điểm thẩm định" column, when the form has one
    over_claims: tuple[str, ...] = ()  # data components claimed above what the figures support
    year: int = 2025
    registry_name: str = ""  # the name agencies.csv gives it, when it is listed there

    @property
    def format(self) -> str:
        return Path(self.file).suffix.lstrip(".")

    @property
    def shown_name(self) -> str:
        return self.registry_name or self.name


def data_points(unit: Unit, pillars: list[Pillar]) -> dict[str, float]:
    """Points the figures give each data-scored component of the unit's group."""
    return {c.id: round(DATA_RULES[c.id](unit.figures, c.max), 2)
            for p in pillars if p.scored for c in p.components if c.applies(unit.group) and not c.manual}


# ── drawing a round ────────────────────────────────────────────────────────────


def _rng(name: str, year: int, salt: int) -> random.Random:
    return random.Random(zlib.crc32(f"{name}/{year}/{salt}".encode()))


def draw_figures(rng: random.Random, group: str) -> Figures:
    """Plausible figures: a department of 30–140 people, a commune of 22–48."""
    staff = rng.randint(30, 140) if group == DEPARTMENT else rng.randint(22, 48)
    computers = staff - rng.choice((0, 0, 0, 1, 2, 3, 5))
    networked = computers - rng.choice((0, 0, 0, 1, 2))
    antivirus = computers - rng.choice((0, 0, 1, 2, 4, 6))
    trained = round(staff * rng.choice((0.45, 0.6, 0.7, 0.75, 0.82, 0.9, 1.0)))
    outgoing = rng.randint(400, 2600) if group == DEPARTMENT else rng.randint(300, 1200)
    signed = round(outgoing * rng.choice((0.62, 0.8, 0.88, 0.93, 0.97, 1.0)))
    procedures = rng.randint(40, 160) if group == DEPARTMENT else rng.randint(90, 130)
    dvc_full = round(procedures * rng.choice((0.25, 0.4, 0.55, 0.7, 0.82, 0.9)))
    resolved = rng.randint(300, 6000) if group == DEPARTMENT else rng.randint(800, 4500)
    on_time = round(resolved * rng.choice((0.86, 0.93, 0.96, 0.985, 0.995, 1.0)))
    online_services = rng.randint(30, 140)
    national = (online_services - rng.choice((0, 0, 1, 2, 5)), online_services)
    return Figures(
        staff=staff, computers=computers, networked=networked, antivirus=antivirus,
        govnet=rng.random() < 0.9, trained=trained, it_staff=rng.choice((0, 1, 1, 2, 2, 3)),
        plan=rng.random() < 0.92, security_policy=rng.random() < 0.85, firewalls=rng.choice((0, 1, 1, 1, 2)),
        signed=(signed, outgoing), procedures=procedures, dvc_full=dvc_full,
        online_percent=rng.choice((35.5, 48.2, 56.0, 63.4, 71.9, 80.5, 88.0)),
        resolved=resolved, on_time=on_time, national=national,
        scanners=rng.choice((0, 1, 2, 3, 4)) if group == COMMUNE else None,
        video_rooms=rng.choice((0, 1, 1, 1)) if group == COMMUNE else None,
    )


def draw_self_scores(rng: random.Random, group: str, pillars: list[Pillar], figures: Figures,
                     over_claims: tuple[str, ...]) -> dict[str, float]:
    """Self-scores: the data's points on data components (the full maximum where an over-claim is
    planted); a level on the printed scale of every other component (VII included)."""
    scores: dict[str, float] = {}
    for pillar in pillars:
        for c in pillar.components:
            if not c.applies(group):
                continue
            if not c.manual:
                scores[c.id] = c.max if c.id in over_claims else round(DATA_RULES[c.id](figures, c.max), 2)
            else:
                scores[c.id] = round(c.max * rng.choice((0.4, 0.6, 0.8, 0.8, 1.0, 1.0, 1.0)), 2)
    return scores


def draw_appraisal(rng: random.Random, unit: Unit, pillars: list[Pillar]) -> dict[str, float]:
    """The appraisal council's scores: the figures' points on data components, the self-score on most
    others, one or two manual components lowered."""
    appraised = dict(unit.self_scores) | data_points(unit, pillars)
    manual = [c for p in pillars if p.scored for c in p.components
              if c.applies(unit.group) and c.manual and appraised[c.id] > 0]
    for c in rng.sample(manual, 2):
        appraised[c.id] = round(appraised[c.id] - c.max * 0.2, 2) if appraised[c.id] >= c.max * 0.2 else 0.0
    return appraised


def make_unit(file: str, name: str, group: str, pillars: list[Pillar], *, year: int = 2025,
              over_claims: tuple[str, ...] = (), appraised: bool = False, registry_name: str = "",
              salt: int = 0) -> Unit:
    rng = _rng(name, year, salt)
    figures = draw_figures(rng, group)
    scores = draw_self_scores(rng, group, pillars, figures, over_claims)
    unit = Unit(file, name, group, figures, scores, None, over_claims, year, registry_name)
    return replace(unit, appraisal=draw_appraisal(rng, unit, pillars)) if appraised else unit


# ── the rounds ─────────────────────────────────────────────────────────────────

# (file, name as written, format-independent); formats: mostly xlsx, some docx, at most 8 pdf
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("van-phong-ubnd-tinh.xlsx", "Văn phòng UBND tỉnh Hải Sơn"),
    ("so-noi-vu.xlsx", "Sở Nội vụ tỉnh Hải Sơn"),
    ("so-tai-chinh.docx", "Sở Tài chính tỉnh Hải Sơn"),
    ("so-tu-phap.xlsx", "Sở Tư pháp tỉnh Hải Sơn"),
    ("so-cong-thuong.pdf", "Sở Công Thương tỉnh Hải Sơn"),
    ("so-xay-dung.xlsx", "Sở Xây dựng tỉnh Hải Sơn"),
    ("so-nong-nghiep-va-moi-truong.xlsx", "Sở Nông nghiệp và Môi trường tỉnh Hải Sơn"),
    ("so-khoa-hoc-va-cong-nghe.docx", "Sở Khoa học và Công nghệ tỉnh Hải Sơn"),
    ("so-giao-duc-va-dao-tao.xlsx", "Sở Giáo dục và Đào tạo tỉnh Hải Sơn"),
    ("so-y-te.pdf", "Sở Y tế tỉnh Hải Sơn"),
    ("so-van-hoa-the-thao-va-du-lich.xlsx", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hải Sơn"),
    ("so-dan-toc-va-ton-giao.xlsx", "Sở Dân tộc và Tôn giáo tỉnh Hải Sơn"),
    ("so-ngoai-vu.docx", "Sở Ngoại vụ tỉnh Hải Sơn"),
    ("thanh-tra-tinh.xlsx", "Thanh tra tỉnh Hải Sơn"),
    ("ban-quan-ly-khu-kinh-te.xlsx", "Ban Quản lý Khu kinh tế tỉnh Hải Sơn"),
    ("dai-phat-thanh-va-truyen-hinh.pdf", "Đài Phát thanh và Truyền hình tỉnh Hải Sơn"),
    ("van-phong-doan-dbqh-va-hdnd.xlsx", "Văn phòng Đoàn ĐBQH và HĐND tỉnh Hải Sơn"),
    ("ban-quan-ly-du-an-dau-tu-xay-dung.xlsx", "Ban Quản lý dự án đầu tư xây dựng tỉnh Hải Sơn"),
)
# the places, as (kind, place): kind "xa" | "phuong" | "dac khu"
WARDS = ("Đông Hải", "Hải Thành", "Bắc Sơn", "Nam Sơn", "Trần Hưng Đạo", "Lê Lợi", "Quang Trung",
         "Hồng Hà", "Minh Khai", "Ngọc Châu", "Thanh Bình", "Phú Xuân", "An Hải", "Cẩm Thạch", "Hưng Long",
         "Tân Thành")
SPECIAL_ZONES = ("Bạch Sa", "Cồn Ngọc")
VILLAGES = ("Tân Phong", "An Bình", "Phú Lộc", "Đông Hưng", "Thái Hòa", "Quảng Phú", "Yên Lạc", "Minh Tân",
            "Hợp Thành", "Kim Sơn", "Xuân Trường", "Thượng Hiền", "Nghĩa Hưng", "Trung Hà", "Hải Xuân",
            "Liên Minh", "Đại Đồng", "Thuận Hòa", "Mỹ Lộc", "Bình Minh", "Tam Hưng", "Quỳnh Lâm", "Sơn Thủy",
            "Phúc Thành", "Đồng Tâm", "Hoàng Long", "Thanh Sơn", "Hưng Đạo", "Tiến Thắng", "Long Hải",
            "Hồng Phong", "Quang Minh", "Tân Tiến", "Nam Thanh", "Bảo Ninh", "Vạn Xuân", "Cẩm Bình",
            "Lam Sơn", "Hải An", "Khánh Thiện", "Gia Phú", "Đức Long")
ABBREVIATED = {"Hồng Hà", "Minh Khai", "Phú Xuân", "An Hải"}  # written "UBND P. …"
SPELLED_OUT = {"Thái Hòa", "Tam Hưng"}  # written "Ủy ban nhân dân xã …"
VIETNAMESE_FILE_NAMES = 3  # every third commune's file is named in Vietnamese, with diacritics
TWINS = ("Sơn Thủy", "Thanh Sơn")  # the second copies the first's figures and scores: a tie

MERGED_DEPARTMENT = "Sở Nông nghiệp và Môi trường tỉnh Hải Sơn"
MERGED_COMMUNE = "UBND xã Tân Phong"
RENAMED_DEPARTMENT = "Sở Dân tộc và Tôn giáo tỉnh Hải Sơn"
OVER_CLAIMS = {  # name → data components claimed at their maximum against the figures
    "Sở Xây dựng tỉnh Hải Sơn": ("III.1", "VI.2"),
    "UBND xã Yên Lạc": ("VI.4",),
    "UBND phường Bắc Sơn": ("IV.1",),
}


def _ascii(text: str) -> str:
    from egovcli.textnorm import fold

    return "-".join(fold(text).replace("đ", "d").replace(".", " ").split())


def _commune_names() -> list[tuple[str, str]]:
    """(kind of place, name as written) of the 60 communes: wards, special zones, villages."""
    out: list[tuple[str, str]] = []
    for place in WARDS:
        out.append(("phuong", f"UBND P. {place}" if place in ABBREVIATED else f"UBND phường {place}"))
    out += [("dac khu", f"Đặc khu {place}") for place in SPECIAL_ZONES]
    for place in VILLAGES:
        out.append(("xa", f"Ủy ban nhân dân xã {place}" if place in SPELLED_OUT else f"UBND xã {place}"))
    return out


def _commune_format(index: int) -> str:
    if index % 12 == 5:
        return "pdf"
    return "docx" if index % 6 == 2 else "xlsx"


def _commune_file(index: int, name: str, fmt: str) -> str:
    if index % VIETNAMESE_FILE_NAMES == 1:  # as a clerk saves it, diacritics and spaces included
        return f"Phiếu tự đánh giá DTI 2025 - {name}.{fmt}"
    return f"{_ascii(name)}.{fmt}"


def dti_2025_round(pillars: list[Pillar] | None = None) -> list[Unit]:
    """The 18 sở/ban/ngành and 60 UBND xã/phường/đặc khu of the 2025 round, departments first."""
    pillars = pillars or load_pillars()
    weight = weights()
    units: list[Unit] = []

    def distinct(file: str, name: str, group: str, appraised: bool) -> Unit:
        """The unit drawn with the first salt whose figures support less than the maximum of each
        over-claimed component (so the claim is one), and whose total is not within a rounding step
        (0,1 point, the index's 4th decimal) of another unit's of its group: places then agree at
        either precision."""
        for salt in range(100):
            unit = make_unit(file, name, group, pillars, over_claims=OVER_CLAIMS.get(name, ()),
                             appraised=appraised, registry_name=_registered(name), salt=salt)
            planted = data_points(unit, pillars)
            if all(planted[c] < top for c, top in _maxima(pillars).items() if c in unit.over_claims) and all(
                    _apart(unit, other, pillars, weight) for other in units if other.group == group):
                return unit
        raise ValueError(f"{name}: no salt gives a distinct total")

    for index, (file, name) in enumerate(DEPARTMENTS):
        units.append(distinct(file, name, DEPARTMENT, index % 4 == 1))
    twin: Unit | None = None
    for index, (_kind, name) in enumerate(_commune_names()):
        file = _commune_file(index, name, _commune_format(index))
        if name.endswith(TWINS[1]) and twin is not None:  # a tie, on purpose
            units.append(replace(twin, file=file, name=name, registry_name=_registered(name)))
            continue
        units.append(unit := distinct(file, name, COMMUNE, index % 4 == 2))
        if name.endswith(TWINS[0]):
            twin = unit
    return units


def _maxima(pillars: list[Pillar]) -> dict[str, float]:
    return {c.id: c.max for p in pillars for c in p.components}


def _apart(one: Unit, other: Unit, pillars: list[Pillar], weight: dict[str, float]) -> bool:
    """Whether two units' totals (with and without the appraisal column) are at least 0,15 apart."""
    return all(
        abs(expected_total(expected_points(one, pillars, appraisal), pillars, weight)
            - expected_total(expected_points(other, pillars, appraisal), pillars, weight)) >= 0.15
        for appraisal in (True, False)
    )


# ── mergers and renames: agencies.csv and the 2024 round ───────────────────────

@dataclass(frozen=True)
class Registered:
    """One agencies.csv row."""

    id: str
    name: str
    group: str
    aliases: tuple[str, ...] = ()
    merged_from: tuple[str, ...] = ()
    renamed_from: tuple[str, ...] = ()
    since: str = ""


REGISTRY: tuple[Registered, ...] = (
    Registered("so-nnmt", MERGED_DEPARTMENT, DEPARTMENT, ("Sở NN&MT tỉnh Hải Sơn",),
               merged_from=("so-nnptnt", "so-tnmt"), since="01/03/2025"),
    Registered("so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hải Sơn", DEPARTMENT,
               ("Sở NN&PTNT tỉnh Hải Sơn",)),
    Registered("so-tnmt", "Sở Tài nguyên và Môi trường tỉnh Hải Sơn", DEPARTMENT, ("Sở TN&MT tỉnh Hải Sơn",)),
    Registered("so-dttg", RENAMED_DEPARTMENT, DEPARTMENT, renamed_from=("Ban Dân tộc tỉnh Hải Sơn",),
               since="01/03/2025"),
    Registered("xa-tan-phong", MERGED_COMMUNE, COMMUNE, ("UBND X. Tân Phong", "Xã Tân Phong"),
               merged_from=("xa-tan-lap", "xa-phong-phu"), since="01/07/2025"),
    Registered("xa-tan-lap", "UBND xã Tân Lập", COMMUNE),
    Registered("xa-phong-phu", "UBND xã Phong Phú", COMMUNE),
)
REGISTRY_COLUMNS = ("id", "name", "group", "aliases", "merged_from", "renamed_from", "since")


def _registered(name: str) -> str:
    return next((r.name for r in REGISTRY if r.name == name), "")


def registry_csv() -> str:
    lines = [",".join(REGISTRY_COLUMNS)]
    for r in REGISTRY:
        lists = (";".join(names) for names in (r.aliases, r.merged_from, r.renamed_from))
        cells = (r.id, r.name, r.group, *lists, r.since)
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    return "\n".join(lines) + "\n"


def dti_2024_round(pillars: list[Pillar] | None = None) -> list[Unit]:
    """The predecessors, a year earlier: the two departments that became Sở Nông nghiệp và Môi
    trường, the two communes that became xã Tân Phong, Ban Dân tộc (renamed Sở Dân tộc và Tôn giáo),
    and two units that did not change."""
    pillars = pillars or load_pillars()
    written = [
        ("so-nong-nghiep-va-phat-trien-nong-thon.xlsx", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hải Sơn",
         DEPARTMENT),
        ("so-tai-nguyen-va-moi-truong.xlsx", "Sở Tài nguyên và Môi trường tỉnh Hải Sơn", DEPARTMENT),
        ("ban-dan-toc.xlsx", "Ban Dân tộc tỉnh Hải Sơn", DEPARTMENT),
        ("so-tu-phap.xlsx", "Sở Tư pháp tỉnh Hải Sơn", DEPARTMENT),
        ("ubnd-xa-tan-lap.xlsx", "UBND xã Tân Lập", COMMUNE),
        ("ubnd-xa-phong-phu.xlsx", "UBND xã Phong Phú", COMMUNE),
        ("ubnd-xa-an-binh.xlsx", "UBND xã An Bình", COMMUNE),
    ]
    return [make_unit(file, name, group, pillars, year=2024) for file, name, group in written]


# ── the form ───────────────────────────────────────────────────────────────────


def points_text(value: float | None) -> str:
    """Points the way a form writes them: 25, 12,5, 27,12; None → blank."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:g}".replace(".", ",")


@dataclass(frozen=True)
class FormRow:
    stt: str
    label: str
    max: str
    method: str
    evidence: str
    self_score: str
    appraisal: str = ""
    kind: str = "component"  # pillar | component | total


def form_rows(unit: Unit, pillars: list[Pillar]) -> list[FormRow]:
    """The criteria table of the unit's form: each pillar row with its subtotals, its components."""
    rows: list[FormRow] = []
    appraisal = unit.appraisal or {}
    counted_self = counted_appraisal = counted_max = 0.0
    for pillar in pillars:
        mine = [c for c in pillar.components if c.applies(unit.group)]
        own = round(sum(unit.self_scores[c.id] for c in mine), 2)
        checked = round(sum(appraisal.get(c.id, unit.self_scores[c.id]) for c in mine), 2)
        top = sum(c.max for c in mine)
        rows.append(FormRow(pillar.id, pillar.title, points_text(top), "", "", points_text(own),
                            points_text(checked) if unit.appraisal else "", "pillar"))
        for c in mine:
            checked_text = points_text(appraisal.get(c.id, unit.self_scores[c.id])) if unit.appraisal else ""
            rows.append(FormRow(c.tt, c.label, points_text(c.max), c.formula_text, c.evidence,
                                points_text(unit.self_scores[c.id]), checked_text))
        if pillar.scored:
            counted_self, counted_appraisal, counted_max = counted_self + own, counted_appraisal + checked, \
                counted_max + top
    scored = "+".join(p.id for p in pillars if p.scored)
    rows.append(FormRow("", f"TỔNG CỘNG ({scored})", points_text(counted_max), "", "",
                        points_text(round(counted_self, 2)),
                        points_text(round(counted_appraisal, 2)) if unit.appraisal else "", "total"))
    return rows


def header(unit: Unit) -> tuple[str, ...]:
    return (*HEADER, APPRAISAL_HEADER) if unit.appraisal else HEADER


def cells(unit: Unit, row: FormRow) -> tuple[str, ...]:
    base = (row.stt, row.label, row.max, row.method, row.evidence, row.self_score)
    return (*base, row.appraisal) if unit.appraisal else base


def title_lines(unit: Unit) -> list[str]:
    return [
        f"UBND TỈNH {PROVINCE.upper()}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"{PROVINCE}, ngày 10 tháng 12 năm {unit.year}",
        f"PHIẾU TỰ ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ NĂM {unit.year}",
        f"(Theo Bộ chỉ số {RULES} - ví dụ minh họa mô phỏng cấu trúc DTI, không phải quyết định chính thức)",
        "THÔNG TIN CHUNG",
    ]


def _cell_value(text: str) -> int | float | str | None:
    """A printed value as a spreadsheet cell: whole numbers and decimal-comma numbers as numbers."""
    if not text:
        return None
    digits = text.replace(",", ".", 1)
    if text.isdigit():
        return int(text)
    try:
        return float(digits) if "," in text and "/" not in text and "%" not in text else text
    except ValueError:
        return text


def xlsx_rows(unit: Unit, pillars: list[Pillar]) -> list[list[int | float | str | None]]:
    """The sheet's rows, top to bottom: title lines, THÔNG TIN CHUNG as `label:` | value, a blank
    row, the header, the criteria table (benchmarks/rounds.py varies a workbook's cells from them)."""
    rows: list[list[int | float | str | None]] = [[line] for line in title_lines(unit)]
    rows += [[f"{label}:", _cell_value(value)] for label, value in info_pairs(unit.name, unit.figures)]
    rows += [[], list(header(unit))]
    for row in form_rows(unit, pillars):
        texts = cells(unit, row)
        rows.append([texts[0] or None, texts[1], _cell_value(texts[2]), texts[3] or None, texts[4] or None,
                     *(_cell_value(t) for t in texts[5:])])
    return rows


def write_xlsx(unit: Unit, pillars: list[Pillar], path: Path) -> None:
    """One sheet: title lines, THÔNG TIN CHUNG as `label:` | value, a blank row, the criteria table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tự đánh giá"
    for row in xlsx_rows(unit, pillars):
        sheet.append(row)
    header_row = len(title_lines(unit)) + len(info_pairs(unit.name, unit.figures)) + 2
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFG", (8, 60, 10, 45, 28, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for row_cells in sheet.iter_rows(min_row=header_row):
        for cell in row_cells:
            cell.alignment = wrap
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    workbook.properties.creator = workbook.properties.lastModifiedBy = unit.name
    workbook.properties.title = f"Phiếu tự đánh giá chỉ số chuyển đổi số năm {unit.year}"
    workbook.properties.created = workbook.properties.modified = TIMES[unit.year]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:  # Workbook.save() stamps "modified" now
        ExcelWriter(workbook, archive).save()
    freeze_zip(path, TIMES[unit.year])


def write_docx(unit: Unit, pillars: list[Pillar], path: Path) -> None:
    """Title lines, THÔNG TIN CHUNG as `label: value` paragraphs, one Word table."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENTATION.LANDSCAPE  # seven columns
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    lines = title_lines(unit)
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    for label, value in info_pairs(unit.name, unit.figures):
        document.add_paragraph(f"{label}: {value}")
    names = header(unit)
    table = document.add_table(rows=1, cols=len(names))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, names, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in form_rows(unit, pillars):
        for cell, text in zip(table.add_row().cells, cells(unit, row), strict=True):
            cell.text = text
    props = document.core_properties
    props.author = props.last_modified_by = unit.name
    props.title = f"Phiếu tự đánh giá chỉ số chuyển đổi số năm {unit.year}"
    props.created = props.modified = props.last_printed = TIMES[unit.year]
    props.revision = 1
    document.save(str(path))
    freeze_zip(path, TIMES[unit.year])


def docx_texts(unit: Unit, pillars: list[Pillar]) -> list[str]:
    """The text of each run `write_docx` writes, in document order (an empty cell has none), for
    benchmarks/rounds.py to vary a document's values."""
    info = [f"{label}: {value}" for label, value in info_pairs(unit.name, unit.figures)]
    table = [text for row in form_rows(unit, pillars) for text in cells(unit, row) if text]
    return [*title_lines(unit), *info, *header(unit), *table]


def write_pdf(unit: Unit, pillars: list[Pillar], path: Path) -> None:
    """A4 landscape, DejaVu Sans: title lines, THÔNG TIN CHUNG lines, a ruled table (header repeated)."""
    register_fonts()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9, leading=11, spaceAfter=2)
    title = ParagraphStyle("title", parent=body, fontName="DejaVuSans-Bold", alignment=TA_CENTER)
    cell = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=7.5, leading=9)
    bold = ParagraphStyle("cell-bold", parent=cell, fontName="DejaVuSans-Bold")
    story: list[object] = [Paragraph(escape(line), title) for line in title_lines(unit)]
    story += [Paragraph(escape(f"{label}: {value}"), body)
              for label, value in info_pairs(unit.name, unit.figures)]
    names = header(unit)
    data: list[list[object]] = [[Paragraph(text, bold) for text in names]]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), "DejaVuSans", 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
    ]
    for i, row in enumerate(form_rows(unit, pillars), start=1):
        texts = cells(unit, row)
        strong = row.kind != "component"
        data.append([texts[0], Paragraph(escape(texts[1]), bold if strong else cell), texts[2],
                     Paragraph(escape(texts[3]), cell), Paragraph(escape(texts[4]), cell), *texts[5:]])
        if strong:
            commands.append(("FONT", (0, i), (-1, i), "DejaVuSans-Bold", 7.5))
    widths = [12, 82, 16, 70, 45, 20] + ([20] if unit.appraisal else [])
    story += [Spacer(1, 6), Table(data, colWidths=[w * mm for w in widths], repeatRows=1,
                                  style=TableStyle(commands))]
    document = SimpleDocTemplate(
        str(path), pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
        bottomMargin=12 * mm, invariant=1, title=f"Phiếu tự đánh giá chỉ số chuyển đổi số năm {unit.year}",
        author=unit.name, creator="egov samples/dti2025.py",
    )
    document.build(story)


WRITERS: dict[str, Callable[[Unit, list[Pillar], Path], None]] = {
    "xlsx": write_xlsx, "docx": write_docx, "pdf": write_pdf,
}


# ── the criteria decision (for `egov rules draft`, docs/rules.md) ───────────────

DECISION_FILE = HERE / "dti-example-2025-quyet-dinh.docx"
DECISION_HEADER = ("STT", "Chỉ số / Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm",
                   "Tài liệu kiểm chứng", "Nguồn / Đơn vị phối hợp xác minh")
DECISION_GROUPS = ((DEPARTMENT, "Phụ lục I", "BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CỦA CÁC SỞ, BAN, NGÀNH"),
                   (COMMUNE, "Phụ lục II", "BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CỦA UBND XÃ, PHƯỜNG, ĐẶC KHU"))


def decision_rows(group: str, pillars: list[Pillar], sources: dict[str, str]) -> list[tuple[str, ...]]:
    """One annex table of the decision: pillars (with their maxima), the group's components, the
    counted total; pillar VII is printed, marked "không tính điểm", outside the total."""
    rows: list[tuple[str, ...]] = []
    for pillar in pillars:
        mine = [c for c in pillar.components if c.applies(group)]
        rows.append((pillar.id, pillar.title, points_text(sum(c.max for c in mine)), "", "", ""))
        rows += [(c.tt, c.label, points_text(c.max), c.formula_text, c.evidence, sources.get(c.id, ""))
                 for c in mine]
    counted = [p for p in pillars if p.scored]
    total = sum(c.max for p in counted for c in p.components if c.applies(group))
    rows.append(("", f"TỔNG CỘNG ({'+'.join(p.id for p in counted)})", points_text(total), "", "", ""))
    return rows


def write_decision(path: Path = DECISION_FILE) -> Path:
    """The criteria decision dti-example-2025 could have been drafted from (`egov rules draft`): a
    Word file with one annex table per group, in the DTI table shape. Illustrative, not official."""
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    sources = {c["id"]: c.get("data_source", "") for c in rules["criteria"]}
    pillars = load_pillars()
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENTATION.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    document.styles["Normal"].font.name = "Times New Roman"
    for line in (f"ỦY BAN NHÂN DÂN TỈNH {PROVINCE.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "VÍ DỤ MINH HỌA - KHÔNG PHẢI VĂN BẢN CHÍNH THỨC",
                 "QUYẾT ĐỊNH",
                 "Ban hành Bộ chỉ số đánh giá chuyển đổi số của các sở, ban, ngành và UBND cấp xã năm 2025"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    document.add_paragraph(
        "Điều 1. Ban hành kèm theo Quyết định này Bộ chỉ số đánh giá chuyển đổi số của các sở, ban, ngành "
        "(Phụ lục I) và của UBND xã, phường, đặc khu (Phụ lục II). Chỉ số chính VII được theo dõi, không "
        "tính điểm. Chỉ số chuyển đổi số của cơ quan = Σ (điểm chỉ số chính ÷ 100 × trọng số): I 100, "
        "II 100, III 150, IV 100, V 150, VI 400; công bố dạng chỉ số từ 0 đến 1, 4 chữ số thập phân.")
    for group, annex, title in DECISION_GROUPS:
        for line in (annex, title):
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(line).bold = True
        table = document.add_table(rows=1, cols=len(DECISION_HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, DECISION_HEADER, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row in decision_rows(group, pillars, sources):
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    props = document.core_properties
    props.author = props.last_modified_by = f"UBND tỉnh {PROVINCE} (ví dụ minh họa)"
    props.title = "Bộ chỉ số đánh giá chuyển đổi số năm 2025 (ví dụ minh họa)"
    props.created = props.modified = props.last_printed = TIMES[2025]
    props.revision = 1
    document.save(str(path))
    freeze_zip(path, TIMES[2025])
    return path


# ── expected results ───────────────────────────────────────────────────────────


def expected_points(unit: Unit, pillars: list[Pillar], appraisal: bool = True) -> dict[str, float]:
    """Points egov should give each counted component: from the figures where the component reads
    them, else the appraised score (when `appraisal` and the form has one), else the self-score,
    within [0, max]."""
    data = data_points(unit, pillars)
    points = {}
    for pillar in pillars:
        if not pillar.scored:
            continue
        for c in pillar.components:
            if not c.applies(unit.group):
                continue
            if c.id in data:
                points[c.id] = data[c.id]
                continue
            written = (unit.appraisal or {}).get(c.id) if appraisal else None
            score = unit.self_scores[c.id] if written is None else written
            points[c.id] = min(max(score, 0.0), c.max)
    return points


def expected_total(points: dict[str, float], pillars: list[Pillar], weight: dict[str, float]) -> float:
    """Σ pillar points ÷ pillar maximum × weight, as `egov score` combines weighted sections."""
    total = 0.0
    for pillar in pillars:
        if pillar.scored:
            section = round(sum(v for k, v in points.items() if k.split(".")[0] == pillar.id), 2)
            total += section / PILLAR_MAX * weight[pillar.id]
    return round(total, DECIMALS)  # totals are kept at the rule set's decimals


def expected(units: list[Unit], pillars: list[Pillar] | None = None, appraisal: bool = True,
             period: str = "2025") -> dict[str, object]:
    """The content of expected.json: per file the agency, group, points, total, index and rank in
    its group (competition ranking on the index with 4 decimals)."""
    pillars = pillars or load_pillars()
    weight = weights()
    points = {u.file: expected_points(u, pillars, appraisal) for u in units}
    totals = {u.file: expected_total(points[u.file], pillars, weight) for u in units}
    ranks: dict[str, int] = {}
    for group in (DEPARTMENT, COMMUNE):
        mine = [u.file for u in units if u.group == group]
        indices = [round(totals[f] / 1000, DECIMALS) for f in mine]
        ranks |= dict(zip(mine, competition_ranks(indices), strict=True))
    return {
        "rules": RULES,
        "period": period,
        "note": "Ví dụ minh họa: bộ chỉ số dti-example-2025 mô phỏng cấu trúc DTI, "
                "không phải quyết định chính thức",
        "files": {
            u.file: {
                "agency": u.shown_name,
                "written_name": u.name,
                "group": u.group,
                "format": u.format,
                "appraisal": u.appraisal is not None,
                "expected_total": totals[u.file],
                "expected_index": round(totals[u.file] / 1000, DECIMALS),
                "expected_rank": ranks[u.file],
                "over_claims": list(u.over_claims),
                "self_scores": u.self_scores,
                "points": points[u.file],
            }
            for u in units
        },
    }


def check_ranks_agree(units: list[Unit]) -> None:
    """Ranking on points (2 decimals) and on the index (4 decimals) must give the same places, so
    the round ranks alike whichever precision the engine keeps; a generator change that breaks this
    fails here, not in a test far away."""
    for appraisal in (True, False):
        files = expected(units, appraisal=appraisal)["files"]
        assert isinstance(files, dict)
        for group in (DEPARTMENT, COMMUNE):
            mine = [e for e in files.values() if e["group"] == group]
            by_points = competition_ranks([e["expected_total"] for e in mine])
            if by_points != [e["expected_rank"] for e in mine]:
                raise ValueError(f"{group}: totals closer than the index's 4 decimals show; change a seed")


# ── writing ────────────────────────────────────────────────────────────────────


def _write_round(units: list[Unit], pillars: list[Pillar], out: Path, period: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for unit in units:
        path = out / unit.file
        WRITERS[unit.format](unit, pillars, path)
        written.append(path)
    manifest = out / "expected.json"
    manifest.write_text(json.dumps(expected(units, pillars, period=period), ensure_ascii=False, indent=2)
                        + "\n", encoding="utf-8")
    return [*written, manifest]


def generate(out_dir: Path | str = DEFAULT_OUT, previous_dir: Path | str = PREVIOUS_OUT) -> list[Path]:
    """Write both rounds, expected.json of each and agencies.csv (in the 2025 folder)."""
    pillars = load_pillars()
    units = dti_2025_round(pillars)
    check_ranks_agree(units)
    out = Path(out_dir)
    written = _write_round(units, pillars, out, "2025")
    registry = out / "agencies.csv"
    registry.write_text(registry_csv(), encoding="utf-8")
    written.append(registry)
    written += _write_round(dti_2024_round(pillars), pillars, Path(previous_dir), "2024")
    return written


def main(args: list[str]) -> None:
    """OUT_DIR [PREVIOUS_DIR [DECISION]]: the rounds, then the criteria decision."""
    for written_path in (*generate(*args[:2]), write_decision(*(Path(a) for a in args[2:3]))):
        print(written_path)


if __name__ == "__main__":
    main(sys.argv[1:])
