"""One catalogue of problems about submitted data: stable codes, Vietnamese + English messages.

Bad input is report content, not an exception: extractors and scoring return `Problem`s and the
run carries on. Exceptions are kept for misuse of the tool (bad option, broken rule file).
A problem that stops a file being read has a `category` (`CATEGORIES`), for sorting and statistics.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# why a file could not be read (or was read as another type)
CATEGORIES = ("corrupt", "encrypted", "unsupported", "wrong_type", "too_large", "timeout", "empty", "hostile")

# code: (severity, category, Vietnamese template, English template)
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    "I-NOT-A-REPORT": (
        "info",
        "unsupported",
        "Bỏ qua: không phải tệp báo cáo ({formats})",
        "Skipped: not a report file ({formats})",
    ),
    "E-UNREADABLE": (
        "error",
        "corrupt",
        "Không đọc được tệp: {reason}",
        "The file could not be read: {reason}",
    ),
    "E-EMPTY": (
        "error",
        "empty",
        "Tệp không có bảng hay dòng số liệu nào đọc được",
        "The file has no table or data line that could be read",
    ),
    "W-NO-AGENCY": (
        "warning",
        "",
        "Không tìm thấy tên cơ quan trong tệp; dùng tên tệp/thư mục: '{agency}'",
        "No agency name found in the file; using the file/folder name: '{agency}'",
    ),
    "W-NO-PERIOD": (
        "warning",
        "",
        "Không tìm thấy kỳ báo cáo (năm) trong tệp, và không suy ra được từ các tệp khác trong thư mục"
        " (kỳ của các tệp đó: {periods}); chạy lại với --period KỲ nếu cả thư mục là một kỳ",
        "No reporting period (year) found in the file, and none can be inferred from the other files"
        " of the folder (their periods: {periods}); run again with --period PERIOD if the whole folder"
        " is one period",
    ),
    "W-PERIOD-INFERRED": (
        "warning",
        "",
        "Không tìm thấy kỳ báo cáo (năm) trong tệp: dùng kỳ {period} của {count} tệp khác trong thư mục"
        " (như {example}); nếu sai, chạy lại với --period",
        "No reporting period (year) found in the file: using period {period} of {count} other files"
        " of the folder (such as {example}); if wrong, run again with --period",
    ),
    "W-FORMULA-NO-VALUE": (
        "warning",
        "",
        "Ô công thức chưa có giá trị tính sẵn (cần mở và lưu lại bằng Excel): {formula}",
        "Formula cell has no cached value (open and save it in Excel): {formula}",
    ),
    "W-UNPARSED-VALUE": (
        "warning",
        "",
        "Không đọc được giá trị số '{raw}' của '{label}': giữ nguyên chữ đã ghi, không tính là 0",
        "Could not read a number from '{raw}' for '{label}': kept as written, never counted as 0",
    ),
    "W-IMPOSSIBLE-VALUE": (
        "warning",
        "",
        "Giá trị '{raw}' của '{label}' không thể đúng: {issue}",
        "Value '{raw}' of '{label}' cannot be right: {issue}",
    ),
    "W-NO-CRITERION-PATH": (
        "warning",
        "",
        "Dòng tự chấm điểm '{label}' không có số thứ tự (TT) nên không xác định được tiêu chí",
        "Self-score row '{label}' has no row number (TT), so its criterion is unknown",
    ),
    "W-UNKNOWN-CRITERION": (
        "warning",
        "",
        "Dòng tự chấm điểm '{ref}' không khớp tiêu chí nào của bộ tiêu chí {rules}",
        "Self-score row '{ref}' matches no criterion of rule set {rules}",
    ),
    "E-NEEDS-LIBREOFFICE": (
        "error",
        "unsupported",
        "Cần LibreOffice để đọc tệp {suffix}{detail} nhưng máy chưa cài (không có lệnh soffice):"
        " hãy cài LibreOffice ({hint}) rồi chạy lại 'egov ingest'",
        "LibreOffice is needed to read {suffix} files{detail} but is not installed (no soffice"
        " command): install it ({hint}) and run 'egov ingest' again",
    ),
    "E-NEEDS-LIBREOFFICE-PART": (
        "error",
        "unsupported",
        "Cần LibreOffice {component} để đọc tệp {suffix}{detail}: máy có LibreOffice ({program}) nhưng"
        " chưa cài phần {component}; hãy cài ({hint}) rồi chạy lại 'egov ingest'",
        "LibreOffice {component} is needed to read {suffix} files{detail}: LibreOffice is installed"
        " ({program}) without {component}; install it ({hint}) and run 'egov ingest' again",
    ),
    "E-CONVERSION-FAILED": (
        "error",
        "corrupt",
        "LibreOffice không chuyển được tệp sang .{target}: {reason}",
        "LibreOffice could not convert the file to .{target}: {reason}",
    ),
    "I-CONVERTED": (
        "info",
        "",
        "Tệp {suffix} đã được LibreOffice chuyển sang .{target} ({seconds} giây) rồi mới đọc",
        "The {suffix} file was converted to .{target} by LibreOffice ({seconds} s) before reading",
    ),
    "I-MACROS-NOT-RUN": (
        "info",
        "",
        "Tệp có macro (VBA): chỉ đọc các giá trị đã lưu trong tệp, macro không bao giờ được chạy",
        "The file holds macros (VBA): only the stored values are read, macros are never run",
    ),
    "I-LOCK-FILE": (
        "info",
        "",
        "Bỏ qua: tệp khoá tạm do Excel/Word tạo khi đang mở tệp (~$…), không phải báo cáo",
        "Skipped: a temporary lock file Excel/Word creates while a file is open (~$…), not a report",
    ),
    "I-SKIPPED-LINK": (
        "info",
        "unsupported",
        "Bỏ qua: đây là lối tắt (symlink) tới '{target}'; chỉ đọc các tệp thật nằm trong thư mục",
        "Skipped: a symbolic link to '{target}'; only real files inside the folder are read",
    ),
    "I-EGOV-OUTPUT": (
        "info",
        "",
        "Bỏ qua: tệp do egov tạo ra (kết quả xếp hạng/tổng hợp), không phải báo cáo của cơ quan",
        "Skipped: a file egov wrote (a ranking or summary), not an agency's report",
    ),
    "I-SKIPPED-SPECIAL": (
        "info",
        "unsupported",
        "Bỏ qua: không phải tệp thông thường ({kind})",
        "Skipped: not a regular file ({kind})",
    ),
    "E-EMPTY-FILE": (
        "error",
        "empty",
        "Tệp rỗng (0 byte), không có nội dung: hãy đề nghị cơ quan gửi lại tệp",
        "The file is empty (0 bytes): ask the agency to send it again",
    ),
    "E-ENCRYPTED": (
        "error",
        "encrypted",
        "Tệp {kind} được đặt mật khẩu nên không đọc được: hãy đề nghị cơ quan gỡ mật khẩu"
        " (Excel/Word: Tệp → Thông tin → Bảo vệ → Mã hoá bằng mật khẩu → xoá mật khẩu) rồi gửi lại",
        "The {kind} file is password-protected and cannot be read: ask the agency to remove the"
        " password (Excel/Word: File → Info → Protect → Encrypt with Password → clear it) and resend",
    ),
    "E-WRONG-TYPE": (
        "error",
        "wrong_type",
        "Tệp có đuôi {suffix} nhưng thực chất là {actual}, không đọc được: {advice}",
        "The file is named {suffix} but is really {actual}, which cannot be read: {advice}",
    ),
    "W-WRONG-EXTENSION": (
        "warning",
        "wrong_type",
        "Tệp có đuôi {suffix} nhưng thực chất là {actual}: đã đọc như {actual}; nên đặt lại đúng đuôi tệp",
        "The file is named {suffix} but is really {actual}: read as {actual}; rename it to match",
    ),
    "E-TOO-LARGE": (
        "error",
        "too_large",
        "Tệp vượt giới hạn an toàn nên không đọc: {what} là {actual}, tối đa {limit}; {advice}",
        "The file exceeds a safety limit and was not read: {what} is {actual}, at most {limit}; {advice}",
    ),
    "E-TIMEOUT": (
        "error",
        "timeout",
        "Đọc tệp quá {seconds} giây nên đã dừng (tệp quá phức tạp hoặc bị lỗi);"
        " có thể chạy lại với --timeout lớn hơn",
        "Reading the file took more than {seconds} s and was stopped (too complex or broken);"
        " run again with a larger --timeout if needed",
    ),
    "E-CRASHED": (
        "error",
        "corrupt",
        "Chương trình đọc tệp bị dừng đột ngột ({reason}): tệp có thể bị hỏng hoặc cần quá nhiều bộ nhớ",
        "The reader stopped abruptly ({reason}): the file may be broken or need too much memory",
    ),
    "E-HOSTILE": (
        "error",
        "hostile",
        "Tệp chứa cấu trúc nguy hiểm nên không được đọc ({what}): hãy mở tệp bằng Excel/Word,"
        " lưu thành tệp mới rồi gửi lại",
        "The file contains a dangerous structure and was not read ({what}): open it in Excel/Word,"
        " save it as a new file and resend it",
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
    category: str = ""  # one of CATEGORIES for a problem that stops a file being read, else ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def problem(code: str, file: str = "", location: str = "", **params: object) -> Problem:
    """Build a `Problem` from the catalogue; `params` fill the message template."""
    severity, category, template_vi, _template_en = CATALOGUE[code]
    return Problem(code, severity, template_vi.format(**params), file, location, category)
