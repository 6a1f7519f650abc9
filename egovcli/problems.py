"""One catalogue of problems about submitted data: stable codes, Vietnamese + English messages.

Bad input is report content, not an exception: extractors and scoring return `Problem`s and the
run carries on. Exceptions are kept for misuse of the tool (bad option, broken rule file).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# code: (severity, Vietnamese template, English template)
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "I-NOT-A-REPORT": (
        "info",
        "Bỏ qua: không phải tệp báo cáo ({formats})",
        "Skipped: not a report file ({formats})",
    ),
    "E-UNREADABLE": (
        "error",
        "Không đọc được tệp: {reason}",
        "The file could not be read: {reason}",
    ),
    "E-EMPTY": (
        "error",
        "Tệp không có bảng hay dòng số liệu nào đọc được",
        "The file has no table or data line that could be read",
    ),
    "W-NO-AGENCY": (
        "warning",
        "Không tìm thấy tên cơ quan trong tệp; dùng tên tệp/thư mục: '{agency}'",
        "No agency name found in the file; using the file/folder name: '{agency}'",
    ),
    "W-NO-PERIOD": (
        "warning",
        "Không tìm thấy kỳ báo cáo (năm) trong tệp; dùng --period nếu cần",
        "No reporting period (year) found in the file; pass --period if needed",
    ),
    "W-FORMULA-NO-VALUE": (
        "warning",
        "Ô công thức chưa có giá trị tính sẵn (cần mở và lưu lại bằng Excel): {formula}",
        "Formula cell has no cached value (open and save it in Excel): {formula}",
    ),
    "W-UNPARSED-VALUE": (
        "warning",
        "Không đọc được giá trị số '{raw}' của '{label}'",
        "Could not read a number from '{raw}' for '{label}'",
    ),
    "W-IMPOSSIBLE-VALUE": (
        "warning",
        "Giá trị '{raw}' của '{label}' không thể đúng: {issue}",
        "Value '{raw}' of '{label}' cannot be right: {issue}",
    ),
    "W-NO-CRITERION-PATH": (
        "warning",
        "Dòng tự chấm điểm '{label}' không có số thứ tự (TT) nên không xác định được tiêu chí",
        "Self-score row '{label}' has no row number (TT), so its criterion is unknown",
    ),
    "W-UNKNOWN-CRITERION": (
        "warning",
        "Dòng tự chấm điểm '{ref}' không khớp tiêu chí nào của bộ tiêu chí {rules}",
        "Self-score row '{ref}' matches no criterion of rule set {rules}",
    ),
    "E-NEEDS-LIBREOFFICE": (
        "error",
        "Cần LibreOffice để đọc tệp {suffix}{detail} nhưng máy chưa cài (không có lệnh soffice):"
        " hãy cài LibreOffice ({hint}) rồi chạy lại 'egov ingest'",
        "LibreOffice is needed to read {suffix} files{detail} but is not installed (no soffice"
        " command): install it ({hint}) and run 'egov ingest' again",
    ),
    "E-CONVERSION-FAILED": (
        "error",
        "LibreOffice không chuyển được tệp sang .{target}: {reason}",
        "LibreOffice could not convert the file to .{target}: {reason}",
    ),
    "I-CONVERTED": (
        "info",
        "Tệp {suffix} đã được LibreOffice chuyển sang .{target} ({seconds} giây) rồi mới đọc",
        "The {suffix} file was converted to .{target} by LibreOffice ({seconds} s) before reading",
    ),
    "I-MACROS-NOT-RUN": (
        "info",
        "Tệp có macro (.xlsm): chỉ đọc các giá trị đã lưu trong tệp, macro không bao giờ được chạy",
        "Macro-enabled workbook (.xlsm): only the stored values are read, macros are never run",
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one submitted file, with where it is."""

    code: str
    severity: str
    message: str
    file: str = ""
    location: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def problem(code: str, file: str = "", location: str = "", **params: object) -> Problem:
    """Build a `Problem` from the catalogue; `params` fill the message template."""
    severity, template_vi, _template_en = CATALOGUE[code]
    return Problem(code, severity, template_vi.format(**params), file, location)


def english(code: str, **params: object) -> str:
    """The English message for `code`, for docs and logs."""
    return CATALOGUE[code][2].format(**params)
