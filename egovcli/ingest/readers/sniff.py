"""Content sniffing: a submitted file's real type from its bytes, whatever its name says."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from egovcli.ingest.readers import plainzip
from egovcli.ingest.readers.plainzip import Plain

# kind → the suffix a file of that kind is read as (kinds absent here cannot be read)
KIND_SUFFIX = {
    "xlsx": ".xlsx", "docx": ".docx", "ods": ".ods", "odt": ".odt",
    "xls": ".xls", "doc": ".doc", "pdf": ".pdf", "rtf": ".rtf",
}
# suffix → the kinds a file with it may really be (anything else is a wrong extension)
SUFFIX_KINDS = {
    ".xlsx": {"xlsx"}, ".xlsm": {"xlsx"}, ".docx": {"docx"}, ".pdf": {"pdf"}, ".ods": {"ods"},
    ".odt": {"odt"}, ".rtf": {"rtf"}, ".xls": {"xls", "ole"}, ".doc": {"doc", "ole"},
}
KIND_NAMES = {  # what a civil servant calls it
    "xlsx": "Excel (.xlsx)", "docx": "Word (.docx)", "ods": "OpenDocument bảng tính (.ods)",
    "odt": "OpenDocument văn bản (.odt)", "xls": "Excel 97-2003 (.xls)", "doc": "Word 97-2003 (.doc)",
    "ole": "Office 97-2003", "pdf": "PDF", "rtf": "RTF", "html": "trang web (HTML)",
    "text": "văn bản thuần (text)", "image": "ảnh", "zip": "tệp nén (zip)", "zip-broken": "tệp nén hỏng",
    "encrypted": "Office có mật khẩu", "unknown": "không rõ định dạng",
}
_OLE = b"\xd0\xcf\x11\xe0"  # D0CF11E0: an OLE compound file (Office 97-2003, encrypted OOXML)
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_HTML = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|table|head|body|meta)\b",
    re.IGNORECASE | re.DOTALL,
)


def utf16(text: str) -> tuple[bytes, bytes]:
    return text.encode("utf-16-le"), text.encode("utf-16-be")


def sniff(path: Path) -> str:
    """The real type of a file from its content: a `KIND_NAMES` key."""
    with open(path, "rb", buffering=0) as fh:  # (pathlib's open, or a buffer, costs more than the read)
        head = fh.read(4096)
        if head.startswith(b"PK") and _held is not None and str(path) not in _plain:
            _plain[str(path)] = plainzip.read_rest(fh, head)  # (for `plain_zip`: the file opened once)
    if head.startswith(b"PK"):
        return _zip_kind(path)
    if head.startswith(_OLE):
        return _ole_kind(path)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGES):
        return "image"
    text = head.lstrip(b"\xef\xbb\xbf")
    if text.startswith(b"{\\rtf"):
        return "rtf"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 text, as Excel's "Unicode text" saves it
        text = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "ignore").encode()
    if _HTML.match(text):
        return "html"
    return "text" if _is_text(head) else "unknown"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 4  # only a character cut at the end of the sample
    return True


_held: dict[str, zipfile.ZipFile] | None = None  # the zips `open_zip` keeps open while `holding`
_plain: dict[str, Plain | None] = {}  # the zips `plain_zip` read while `holding`


@contextmanager
def holding() -> Iterator[None]:
    """While one file is read: each zip is read (its central directory parsed) once, for the
    sniffer, the zip guard and the reader alike, and closed at the end."""
    global _held
    if _held is not None:  # already held by the caller's read
        yield
        return
    _held = {}
    try:
        yield
    finally:
        for archive in _held.values():
            archive.close()
        _held = None
        _plain.clear()


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """`path` as a zip (zipfile's errors if it is none): the one already open while `holding`."""
    if _held is None:
        with zipfile.ZipFile(path) as archive:
            yield archive
        return
    held = _held.get(str(path))
    if held is None:
        held = _held[str(path)] = zipfile.ZipFile(path)
    yield held


def is_zip(path: Path) -> bool:
    """`zipfile.is_zipfile`, without reading the file again when it is already read as a zip."""
    key = str(path)
    return (_held is not None and key in _held) or _plain.get(key) is not None or zipfile.is_zipfile(path)


def plain_zip(path: Path) -> Plain | None:
    """`plainzip.read(path)`, once per file while `holding`."""
    key = str(path)
    if _held is None:
        return plainzip.read(path)
    if key not in _plain:
        _plain[key] = plainzip.read(path)
    return _plain[key]


def _zip_kind(path: Path) -> str:
    plain = plain_zip(path)
    try:
        if plain is not None and all(member.filename != "mimetype" for member in plain.members):
            names, mimetype = {member.filename for member in plain.members}, b""
        else:
            with open_zip(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        return "zip-broken"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    return "zip"


_ENCRYPTED = utf16("EncryptedPackage")[0]
_WORD = utf16("WordDocument")[0]
_EXCEL = (utf16("Workbook")[0], utf16("Book")[0])


def _ole_kind(path: Path) -> str:
    """An OLE compound file: encrypted OOXML (EncryptionInfo + EncryptedPackage), .doc or .xls.

    The stream names are in the directory sectors, found by scanning the file (its size is
    already limited)."""
    seen: set[str] = set()
    tail = b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            data = tail + chunk
            if _ENCRYPTED in data:
                return "encrypted"
            if _WORD in data:
                seen.add("doc")
            if any(name in data for name in _EXCEL):
                seen.add("xls")
            tail = data[-64:]
    return seen.pop() if len(seen) == 1 else "ole"
