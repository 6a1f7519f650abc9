"""Rounds of distinct agencies for the benchmark, built fast from the dti-example-2025 generator.

A round is `provinces` × (`departments` sở/ban/ngành + `communes` UBND xã/phường/đặc khu), every
agency with a name of its own (so no submission supersedes another and score/rank see them all), its
own figures and self-scores (`samples.dti2025.make_unit`, seeded by its name) and a format drawn to
the requested mix (default ≈ 60% xlsx, 25% docx, 15% pdf, as forms are mostly spreadsheets).

Writing 12,000 forms with openpyxl / python-docx would take minutes, so each .xlsx and .docx is a
template (one per format, group and appraisal column, written once by `samples.dti2025`) whose
changing XML part is rewritten: the cells (xlsx) or run texts (docx) that differ from the
template's unit, the author in docProps/core.xml; the unchanged parts are copied compressed. Every
template is checked against the model it was written from, so a generator change fails here loudly
rather than producing wrong files. PDFs are written by reportlab, one per agency (the slow format:
a 12,000 round holds ~1,800), cached by content in `cache` across runs.

Usage: python benchmarks/rounds.py OUT_DIR [--provinces 1 --departments 20 --communes 100]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import shutil
import sys
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the samples package is beside benchmarks/
    sys.path.insert(0, str(ROOT))

from samples import dti2025  # noqa: E402
from samples.dti2025 import COMMUNE, DEPARTMENT, Pillar, Unit  # noqa: E402

FORMATS = ("xlsx", "docx", "pdf")
NATIONAL_MIX = {"xlsx": 0.60, "docx": 0.25, "pdf": 0.15}
RULES = dti2025.RULES

DEPARTMENT_NAMES = (  # the sở/ban/ngành of a province after July 2025 (the province's name follows)
    "Văn phòng UBND", "Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Công Thương", "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ", "Thanh tra",
    "Ban Quản lý Khu kinh tế", "Đài Phát thanh và Truyền hình", "Văn phòng Đoàn ĐBQH và HĐND",
    "Ban Quản lý dự án đầu tư xây dựng", "Sở Kế hoạch và Đầu tư", "Sở Lao động, Thương binh và Xã hội",
    "Sở Giao thông vận tải", "Sở Thông tin và Truyền thông", "Ban Quản lý các khu công nghiệp",
)
# place names: two syllables, one of each list (40 × 40 = 1,600 per province), distinct once accents are
# folded (agency keys fold them: "Đông Bình" and "Đồng Bình" would be one agency)
FIRST = ("Tân", "An", "Phú", "Đông", "Tây", "Nam", "Bắc", "Hưng", "Thái", "Quảng", "Yên", "Minh", "Hợp",
         "Kim", "Xuân", "Thượng", "Nghĩa", "Trung", "Hải", "Liên", "Đại", "Thuận", "Mỹ", "Bình", "Tam",
         "Quỳnh", "Sơn", "Phúc", "Hoàng", "Thanh", "Tiến", "Long", "Hồng", "Bảo", "Vạn", "Cẩm", "Lam",
         "Khánh", "Gia", "Đức")
SECOND = ("Phong", "Bình", "Lộc", "Hưng", "Hòa", "Phú", "Lạc", "Tân", "Thành", "Sơn", "Trường", "Hiền",
          "Hà", "Xuân", "Minh", "Đồng", "Thủy", "Tâm", "Long", "Đạo", "Thắng", "Hải", "Ninh", "Lâm",
          "Thiện", "Châu", "Giang", "Khê", "Điền", "Mỹ", "Nguyên", "Thịnh", "Vinh", "Quý", "Lợi", "Trạch",
          "Cường", "Tiến", "Dương", "Hậu")
PROVINCES = tuple(f"{a} {b}" for b in ("Sơn", "Hà", "Giang", "Ninh", "Bình", "Thủy")
                  for a in ("Hải", "Bắc", "Nam", "Đông", "Tây", "Trung"))[:36]


@dataclass(frozen=True)
class Planned:
    """One submission of a round: its unit (who, what it reports) and the file it goes to."""

    unit: Unit
    folder: str  # the province's folder, "" in a one-province round


def format_sequence(count: int, mix: dict[str, float]) -> list[str]:
    """`count` formats in the proportions of `mix`, spread evenly (each step picks the format furthest
    behind its share), so any prefix of a round has the mix too."""
    total = sum(mix.values())
    done: Counter[str] = Counter()
    out = []
    for i in range(1, count + 1):
        fmt = max(mix, key=lambda f: (i * mix[f] / total - done[f], mix[f]))
        done[fmt] += 1
        out.append(fmt)
    return out


def _ascii(text: str) -> str:
    return dti2025._ascii(text)


def plan_round(provinces: int = 1, departments: int = 20, communes: int = 100,
               mix: dict[str, float] | None = None, pillars: list[Pillar] | None = None) -> list[Planned]:
    """Every agency of the round, departments then communes per province. Names are distinct
    nationally: the province's name follows each agency's (agency keys drop a trailing "tỉnh X",
    so it is written without "tỉnh"); every fourth unit's form has an appraisal column."""
    if not 1 <= provinces <= len(PROVINCES) or departments > len(DEPARTMENT_NAMES) \
            or communes > len(FIRST) * len(SECOND):
        raise ValueError("round too large for the name lists")
    pillars = pillars or dti2025.load_pillars()
    formats = iter(format_sequence(provinces * (departments + communes), mix or NATIONAL_MIX))
    planned = []
    for p in range(provinces):
        province = PROVINCES[p]
        folder = _ascii(province) if provinces > 1 else ""
        names = [(f"{base} {province}", DEPARTMENT) for base in DEPARTMENT_NAMES[:departments]]
        for c in range(communes):
            place = f"{FIRST[c % len(FIRST)]} {SECOND[(c // len(FIRST) + 7 * p) % len(SECOND)]}"
            kind = "phường" if c % 5 == 1 else ("Đặc khu" if c % 97 == 50 else "xã")
            name = f"Đặc khu {place} {province}" if kind == "Đặc khu" else f"UBND {kind} {place} {province}"
            names.append((name, COMMUNE))
        for i, (name, group) in enumerate(names):
            file = f"{_ascii(name)}.{next(formats)}"
            unit = dti2025.make_unit(file, name, group, pillars, appraised=i % 4 == 1)
            planned.append(Planned(unit, folder))
    return planned


# ── templates ─────────────────────────────────────────────────────────────────

_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>.*?</c>)', re.S)
_RUN_TEXT = re.compile(rb"<w:t(?: [^>]*)?>(.*?)</w:t>", re.S)
_CHANGING = {"xlsx": "xl/worksheets/sheet1.xml", "docx": "word/document.xml"}
_CORE = "docProps/core.xml"


def _column(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _xml_text(text: str, fmt: str = "docx") -> bytes:
    """Text as the writer put it in XML: openpyxl writes every non-ASCII character as a reference."""
    return escape(text).encode("ascii", "xmlcharrefreplace") if fmt == "xlsx" else escape(text).encode()


def _cell_xml(ref: bytes, attrs: bytes, value: int | float | str | None) -> bytes:
    attrs = re.sub(rb'\s*t="[^"]*"', b"", attrs)  # the type follows the new value
    if value is None:
        return b'<c r="' + ref + b'"' + attrs + b"/>"
    if isinstance(value, str):
        text = _xml_text(value, "xlsx")
        return b'<c r="' + ref + b'"' + attrs + b' t="inlineStr"><is><t>' + text + b"</t></is></c>"
    return b'<c r="' + ref + b'"' + attrs + b' t="n"><v>' + repr(value).encode() + b"</v></c>"


class Template:
    """One written form (format, group, appraisal column) and how to make another unit's from it."""

    def __init__(self, fmt: str, unit: Unit, pillars: list[Pillar], scratch: Path) -> None:
        self.fmt, self.unit, self.pillars = fmt, unit, pillars
        path = scratch / f"template-{fmt}-{unit.group}-{bool(unit.appraisal)}.{fmt}"
        dti2025.WRITERS[fmt](unit, pillars, path)
        with zipfile.ZipFile(path) as archive:
            self.changing = archive.read(_CHANGING[fmt])
            self.core = archive.read(_CORE)
            self.infos = {i.filename: i for i in archive.infolist()}
            kept = io.BytesIO()  # every other part, compressed once: each form appends its own two
            with zipfile.ZipFile(kept, "w", zipfile.ZIP_DEFLATED) as out:
                for info in archive.infolist():
                    if info.filename not in (_CHANGING[fmt], _CORE):
                        out.writestr(info, archive.read(info))
        self.prefix = kept.getvalue()
        self.model = self._model(unit)
        self._check()

    def _model(self, unit: Unit) -> list:
        if self.fmt == "xlsx":
            return dti2025.xlsx_rows(unit, self.pillars)
        return dti2025.docx_texts(unit, self.pillars)

    def _check(self) -> None:
        """The template's XML holds the model's values where `render` expects them."""
        again = self.render(self.unit)
        if again[_CHANGING[self.fmt]] != self.changing:
            raise RuntimeError(f"{self.fmt} template does not follow samples.dti2025's model: fix rounds.py")

    def render(self, unit: Unit) -> dict[str, bytes]:
        """The changing parts of `unit`'s form."""
        model = self._model(unit)
        if len(model) != len(self.model):
            raise ValueError(f"{unit.name}: not the template's shape")
        if self.fmt == "xlsx":
            def cell(match: re.Match[bytes]) -> bytes:
                row, col = int(match[2]) - 1, _column(match[1])
                value = model[row][col] if col < len(model[row]) else None
                if value == (self.model[row][col] if col < len(self.model[row]) else None):
                    return match[0]
                return _cell_xml(match[1] + match[2], match[3], value)

            body = _CELL.sub(cell, self.changing)
        else:
            texts = iter(model)

            def run(match: re.Match[bytes]) -> bytes:
                start = match.group(0)[:match.start(1) - match.start(0)]
                return start + _xml_text(next(texts)) + b"</w:t>"

            body = _RUN_TEXT.sub(run, self.changing)
        author = escape(self.unit.name).encode()  # core.xml is UTF-8 in both writers
        return {_CHANGING[self.fmt]: body, _CORE: self.core.replace(author, escape(unit.name).encode())}

    def write(self, unit: Unit, path: Path) -> None:
        buffer = io.BytesIO(self.prefix)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.render(unit).items():
                archive.writestr(self.infos[name], data)
        path.write_bytes(buffer.getvalue())


def _pdf_key(unit: Unit) -> str:
    return hashlib.sha256(repr(unit).encode()).hexdigest()[:24]


def write_round(planned: Sequence[Planned], out: Path, cache: Path | None = None) -> list[Path]:
    """Write every planned form below `out` (one folder per province); PDFs come from `cache` when
    an identical unit was written before."""
    pillars = dti2025.load_pillars()
    scratch = out.parent / f".{out.name}-templates"
    scratch.mkdir(parents=True, exist_ok=True)
    templates: dict[tuple[str, str, bool], Template] = {}
    written = []
    try:
        for item in planned:
            unit = item.unit
            folder = out / item.folder
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / unit.file
            if unit.format == "pdf":
                _write_pdf(unit, pillars, path, cache)
            else:
                key = (unit.format, unit.group, unit.appraisal is not None)
                if key not in templates:
                    templates[key] = Template(unit.format, unit, pillars, scratch)
                templates[key].write(unit, path)
            written.append(path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return written


def _write_pdf(unit: Unit, pillars: list[Pillar], path: Path, cache: Path | None) -> None:
    if cache is None:
        dti2025.write_pdf(unit, pillars, path)
        return
    cached = cache / f"{_pdf_key(unit)}.pdf"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        dti2025.write_pdf(unit, pillars, partial)
        partial.replace(cached)
    shutil.copyfile(cached, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--provinces", type=int, default=1)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--cache", type=Path, default=None, help="folder of PDFs kept between runs")
    args = parser.parse_args()
    planned = plan_round(args.provinces, args.departments, args.communes)
    files = write_round(planned, args.out, args.cache)
    print(f"{len(files)} files: {dict(Counter(p.suffix for p in files))} in {args.out}")


if __name__ == "__main__":
    main()
