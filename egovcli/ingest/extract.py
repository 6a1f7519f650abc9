"""Reading one file safely: refused by size or real type before a reader opens it, then read by the
reader registered for its suffix (`EXTRACTORS`) — or for its real type when the extension is wrong.
Nothing raises: every failure is a problem with a category (`exception_problem`)."""

from __future__ import annotations

import re
import tempfile
from importlib import import_module
from pathlib import Path

from egovcli import OUTPUT_MARKER
from egovcli.ingest.readers import legacy, safety, sniff, zipguard
from egovcli.ingest.readers.safety import Limits
from egovcli.model import Extracted
from egovcli.problems import Problem, problem
from egovcli.untrusted import storable

# suffix → module exposing `extract(path: Path) -> Extracted`; imported only when a file needs it.
EXTRACTORS = {
    ".xlsx": "egovcli.ingest.readers.xlsx",
    ".docx": "egovcli.ingest.readers.docx",
    ".pdf": "egovcli.ingest.readers.pdf",
    **dict.fromkeys((".xls", ".xlsm", ".ods", ".doc", ".odt", ".rtf"), "egovcli.ingest.readers.legacy"),
}
FORMATS = ", ".join(EXTRACTORS)


def extract_file(
    path: Path, limits: Limits | None = None, extractors: dict[str, str] | None = None
) -> Extracted:
    """Read one file within `limits`: refuse it by size or real type, else run the extractor that
    `extractors` (default `EXTRACTORS`) registers for its suffix — or for its real type when the
    extension is wrong. Nothing raises: every failure is a problem with a category."""
    limits = limits or Limits()
    extractors = extractors or EXTRACTORS
    file = str(path)
    if storable(file) != file:  # a name that is not UTF-8: readers written in Rust cannot open it
        return _through_alias(path, limits, extractors)
    try:
        with safety.applied(limits), sniff.holding():
            if refused := size_refusal(path, limits):
                return failure(refused)
            suffix = path.suffix.lower()
            if suffix not in sniff.SUFFIX_KINDS:  # a format without content checks
                return _run(extractors[suffix], path)
            kind = sniff.sniff(path)
            if kind in sniff.SUFFIX_KINDS[suffix]:
                return _run(extractors[suffix], path)
            return _wrong_type(path, suffix, kind, extractors)
    except MemoryError:
        return failure(safety.out_of_memory(file))
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - one broken file must not stop the batch; a panic
        # in a reader written in Rust (calamine on a cut .xls) is a BaseException, not an Exception
        return failure(exception_problem(file, exc))


def size_refusal(path: Path, limits: Limits) -> Problem | None:
    """Why a file is refused by its size before any reader opens it (empty, or over
    `limits.max_file_mb`, naming the option that raises it); None when its size is fine."""
    size = path.stat().st_size
    if size == 0:
        return problem("E-EMPTY-FILE", str(path))
    if size > limits.max_file_mb * (1 << 20):
        limit, advice = f"{limits.max_file_mb:g} MB", safety.raise_option("--max-file-mb")
        return safety.too_large(str(path), "dung lượng tệp", safety.megabytes(size), limit, advice=advice)
    return None


def _through_alias(path: Path, limits: Limits, extractors: dict[str, str]) -> Extracted:
    """Read `path` through a link with a plain name; problems name the file as `readable` shows it."""
    shown = storable(str(path))
    with tempfile.TemporaryDirectory(prefix="egov-alias-") as tmp:
        alias = Path(tmp, f"input{storable(path.suffix)}")
        alias.symlink_to(path.absolute())
        extracted = extract_file(alias, limits, extractors)
    extracted.problems = [
        p.moved(shown, lambda text: text.replace(str(alias), shown)) for p in extracted.problems
    ]
    return extracted


def _run(module: str, path: Path) -> Extracted:
    result: Extracted = import_module(module).extract(path)
    return result


def _wrong_type(path: Path, suffix: str, kind: str, extractors: dict[str, str]) -> Extracted:
    """A file whose content is not what its extension says: read as what it is, or explain."""
    file, actual = str(path), sniff.KIND_NAMES[kind]
    if kind == "encrypted":
        return failure(problem("E-ENCRYPTED", file, kind="Office"))
    if kind == "zip-broken":
        return failure(problem("E-UNREADABLE", file, reason="tệp nén bị cắt cụt hoặc hỏng"))
    if kind == "unknown":
        reason = f"nội dung không phải tệp {suffix} hợp lệ (tệp hỏng hoặc không đầy đủ)"
        return failure(problem("E-UNREADABLE", file, reason=reason))
    if kind in ("html", "text"):  # web-system exports: LibreOffice reads them, if installed
        readable = suffix != ".pdf" and legacy.soffice() is not None
        real = "" if not readable else ".doc" if suffix in _WORDISH else ".xls"
    elif kind == "ole":  # Office 97-2003, Word or Excel not told apart
        real = ".doc" if suffix in _WORDISH else ".xls"
    else:
        real = sniff.KIND_SUFFIX.get(kind, "")
    if not real or real not in extractors:
        advice = _ADVICE.get(kind, _ADVICE[""])
        return failure(problem("E-WRONG-TYPE", file, suffix=suffix, actual=actual, advice=advice))
    with tempfile.TemporaryDirectory(prefix="egov-alias-") as tmp:
        alias = Path(tmp, f"input{real}")
        alias.symlink_to(path.resolve())
        extracted = _run(extractors[real], alias)
    extracted.problems = [
        p.moved(file, lambda text: text.replace(str(alias), path.name)) for p in extracted.problems
    ]
    extracted.problems.insert(0, problem("W-WRONG-EXTENSION", file, suffix=suffix, actual=actual))
    return extracted


_WORDISH = (".doc", ".docx", ".odt", ".rtf")
_ADVICE = {
    "html": "đây là trang web xuất từ phần mềm; hãy mở bằng Excel rồi chọn Lưu thành → Sổ làm việc"
    " Excel (.xlsx), hoặc cài LibreOffice để egov tự chuyển",
    "text": "hãy đề nghị cơ quan gửi đúng tệp báo cáo (.xlsx, .docx hoặc .pdf)",
    "image": "ảnh chụp/quét không có số liệu đọc được; hãy đề nghị cơ quan gửi tệp gốc (.xlsx, .docx"
    " hoặc .pdf có chữ)",
    "zip": "hãy giải nén rồi đặt các tệp báo cáo bên trong vào thư mục",
    "": "hãy mở tệp bằng phần mềm phù hợp và lưu lại đúng định dạng",
}


# libxml2 (lxml, under python-docx) refuses XML nested deeper than 256 levels
_TOO_DEEP = re.compile(r"Excessive depth in document: (\d+)", re.IGNORECASE)
# a Rust reader (calamine, through PyO3) that could not allocate a Python object panics with this
_NO_OBJECT = "PyObject pointer is null"


def exception_problem(file: str, exc: BaseException) -> Problem:
    """The problem an extractor's exception means: a password the reader asked for, memory the
    reader could not get, nesting deeper than a parser allows (hostile: tables in tables in tables…
    — no genuine report comes close), or a broken file."""
    text = f"{type(exc).__name__}: {exc}".strip()
    if _NO_OBJECT in text:
        return safety.out_of_memory(file)
    if "password" in text.lower():  # e.g. calamine on a protected .xls
        return problem("E-ENCRYPTED", file, kind=Path(file).suffix.lstrip(".").upper())
    if (deep := _TOO_DEEP.search(text)) or isinstance(exc, RecursionError):
        levels = f"quá {deep.group(1)} mức, " if deep else ""
        what = f"nội dung lồng nhau quá sâu: {levels}bảng trong bảng hoặc thẻ XML trong thẻ XML"
        return problem("E-HOSTILE", file, what=what)
    return problem("E-UNREADABLE", file, reason=text[:300])


def failure(p: Problem) -> Extracted:
    return Extracted(problems=[p])


def read_report(path: Path, limits: Limits, extractors: dict[str, str]) -> Extracted:
    """`extract_file` for ingest: egov's own outputs are recognised first and not read."""
    with sniff.holding():  # the zip opened to look for the marker is the one the reader reads
        if _is_egov_output(path, limits):
            return failure(problem("I-EGOV-OUTPUT", str(path)))
        return extract_file(path, limits, extractors)


_PROPERTIES = "docProps/core.xml"
_KEYWORDS = re.compile(rb"<(?:\w+:)?keywords\b[^>]*>([^<]*)<")


def _is_egov_output(path: Path, limits: Limits) -> bool:
    """Whether `path` is an .xlsx/.docx that egov wrote: OUTPUT_MARKER among the keywords of its
    core properties (docProps/core.xml, at most 64 KiB read; a creator "egov" alone is not enough)."""
    if path.suffix.lower() not in (".xlsx", ".docx"):
        return False
    try:
        if path.stat().st_size > limits.max_file_mb * (1 << 20):
            return False
        head = zipguard.small_part(path, _PROPERTIES)  # (from the bytes the sniffer read: no zipfile)
        if head is None:
            with sniff.open_zip(path) as archive, archive.open(_PROPERTIES) as part:
                head = part.read(1 << 16)
    except Exception:  # noqa: BLE001 - not a zip, no properties: not ours; the reader says what it is
        return False
    found = _KEYWORDS.search(head[:1 << 16])
    return found is not None and OUTPUT_MARKER.encode() in re.split(rb"[\s,;]+", found.group(1))
