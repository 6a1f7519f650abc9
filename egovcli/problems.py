"""One problem model for every stage: stable codes, Vietnamese + English messages, a `Location`.

Bad input is report content, not an exception: readers, scoring and verification return `Problem`s
and the run carries on — an ingest problem (`E-ENCRYPTED`), a scoring flag (`over_max`), a finding
of `egov verify` (`total_mismatch`). Exceptions are kept for what stops a command (a broken rule
file, an unusable CSV, a missing workspace, an output refused); each derives from `EgovError`,
carries its problems and the exit code the CLI uses. Every code is in `CATALOGUE` (severity,
category, Vietnamese and English message) and documented in docs/problems.md; `problem()` builds
one from its entry and `Problem` refuses any other code (tests/test_problems.py holds the code, the
catalogue and the page to each other).
A problem that stops a file being read has a `category` (`CATEGORIES`), for sorting and statistics.

How a problem is shown (terminal, CSV, JSON, markdown, HTML, workbook) is `egovcli.render.problems`.
Text here is kept exactly as found (a label quoted from a file may hold control characters): it is
escaped on the way out, by that module, never here.

Longer than 400 lines for a reason: the catalogue is data, one entry per code, kept in one place
so that adding a code is one edit (and docs/problems.md one more row).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import ClassVar, NamedTuple

# why a file could not be read (or was read as another type)
CATEGORIES = ("corrupt", "encrypted", "unsupported", "wrong_type", "too_large", "timeout", "empty", "hostile")
SEVERITIES = ("error", "warning", "info")


class Spec(NamedTuple):
    """A catalogue entry. The messages are `str.format` templates filled by `problem()`'s params;
    for codes whose Vietnamese message is written where the problem is found (a verify finding's
    explanation, a rule-set mistake, a bad CSV row), they say what the code means."""

    severity: str  # error | warning | info
    category: str  # one of CATEGORIES for a problem that stops a file being read, else ""
    vi: str
    en: str


_CELL = re.compile(r"(?P<sheet>.+)!(?P<cell>\$?(?P<column>[A-Z]{1,3})\$?(?P<row>\d+))")
_PAGE = re.compile(r"\btrang (\d+)\b")
_ROW = re.compile(r"\bdòng (\d+)\b")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: the file and, as far as known, the sheet or page, the cell, row or line,
    and the agency and criterion it is about. `place` is the position as readers write it ("Sheet!E12",
    "bảng 2, dòng 5, cột 5", "trang 3, dòng 12", "đoạn 14"; docs/architecture.md)."""

    file: str = ""
    place: str = ""
    sheet: str = ""
    page: int | None = None
    cell: str = ""
    row: int | None = None  # a table or sheet row
    line: int | None = None  # a line of a text file (rule set, CSV) or of a page's running text
    agency: str = ""
    criterion: str = ""

    @classmethod
    def at(cls, file: str = "", place: str = "", *, agency: str = "", criterion: str = "") -> Location:
        """The location of `place` in `file`, its parts read from the readers' notation: "S!E12" →
        sheet S, cell E12, row 12; "trang 3, …" → page 3; "…, dòng 4, cột 5" → row 4 (a table row);
        "trang 1, dòng 12" → line 12 (running text). Several places ("S!E3; S!E4") keep only `place`."""
        sheet, cell, page, row, line = "", "", None, None, None
        if place and ";" not in place:
            if found := _CELL.fullmatch(place):
                sheet, cell, row = found["sheet"], found["cell"].replace("$", ""), int(found["row"])
            else:
                if found := _PAGE.search(place):
                    page = int(found[1])
                if found := _ROW.search(place):
                    row, line = (int(found[1]), None) if "cột" in place else (None, int(found[1]))
        return cls(file, place, sheet, page, cell, row, line, agency, criterion)

    @property
    def shown(self) -> str:
        """The place as text: `place`, else "dòng N" for a line of a text file, else ""."""
        return self.place or (f"dòng {self.line}" if self.line is not None else "")

    def as_dict(self) -> dict[str, object]:
        """The structured location of the JSON problem object (`where`)."""
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell, "page": self.page,
                "row": self.row, "line": self.line, "agency": self.agency, "criterion": self.criterion}

    def __str__(self) -> str:
        """"file:line", "file (place)", "file", the place alone, or ""."""
        if self.file and self.line is not None and not self.place:
            return f"{self.file}:{self.line}"
        if self.file and self.shown:
            return f"{self.file} ({self.shown})"
        return self.file or self.shown


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: its catalogue code and severity, the Vietnamese message (`message_en` beside
    it), and where it is; `file` and `location` (the place as text, `Location.shown`) as ingest has
    always named them."""

    code: str
    severity: str
    message: str
    where: Location = field(default_factory=Location)
    category: str = ""  # one of CATEGORIES for a problem that stops a file being read, else ""
    message_en: str = ""

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"problem code {self.code!r} is not in egovcli.problems.CATALOGUE")
        if self.severity not in SEVERITIES:
            raise ValueError(f"problem severity {self.severity!r} is not one of {SEVERITIES}")

    @property
    def file(self) -> str:
        return self.where.file

    @property
    def location(self) -> str:
        return self.where.shown

    def as_dict(self) -> dict[str, object]:
        """The JSON problem object of every command: the keys ingest has always had (code,
        severity, message, file, location, category), then message_en and the structured `where`."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "location": self.location,
            "category": self.category,
            "message_en": self.message_en,
            "where": self.where.as_dict(),
        }

    def moved(self, file: str, text: Callable[[str], str] = str) -> Problem:
        """The problem about `file` (a reader was given a temporary alias, a worker the full path),
        each of its texts passed through `text` (a path quoted in them renamed, made storable)."""
        where = replace(self.where, file=file, place=text(self.where.place))
        return replace(self, where=where, message=text(self.message), message_en=text(self.message_en))

    def about(self, agency: str) -> Problem:
        """The problem about `agency`, unless it already names one (a row about another agency)."""
        return self if self.where.agency else replace(self, where=replace(self.where, agency=agency))

    def __str__(self) -> str:
        """"file:line: message" (the form error listings use), or "message" where nothing is known."""
        where = str(self.where)
        return f"{where}: {self.message}" if where else self.message


class _Params(dict[str, object]):
    """Template parameters; a missing one shows as "…" (an English template with fewer facts)."""

    def __missing__(self, key: str) -> str:
        return "…"


def problem(
    code: str,
    file: str = "",
    location: str = "",
    *,
    where: Location | None = None,
    message: str | None = None,
    message_en: str | None = None,
    **params: object,
) -> Problem:
    """Build a `Problem` from the catalogue (KeyError for an unknown code): at `location` ("S!E12")
    in `file`, or `where`; `params` fill the message templates. `message` is the Vietnamese message
    when the caller wrote one (a verify explanation, a rule-set mistake); the English is then
    `message_en`, else what the code means."""
    severity, category, template_vi, template_en = CATALOGUE[code]
    vi = message if message is not None else template_vi.format(**params)
    en = message_en if message_en is not None else template_en.format_map(_Params(params))
    return Problem(code, severity, vi, where or Location.at(file, location), category, en)


def at_line(code: str, file: str, line: int | None, message: str, message_en: str | None = None) -> Problem:
    """A problem written at line `line` of a text file (a rule set, a CSV file); None: the whole file."""
    return problem(code, where=Location(file, line=line), message=message, message_en=message_en)


class EgovError(Exception):
    """What stops an egov command: its problems (each with a code and, where known, file:line) and
    the exit code the CLI ends with. `str()` lists the problems one per line ("file:line: what");
    `heading` is how the CLI introduces them ("Lỗi bộ tiêu chí"). Give either the problems, or one
    message (with `code`, default the class's, and `where`). The CLI prints it and exits with
    `exit_code` in one place (`egovcli.cli._Egov`). Signals that never leave a reader (legacy's
    ConversionError, sheetxml's TooManyCells, xls's Unreadable, the rules' YamlLimitError, which
    PyYAML needs as its own kind) are not EgovErrors: they become Problems where caught."""

    code: ClassVar[str] = "E-USAGE"
    heading: ClassVar[str] = "Lỗi"
    exit_code: int = 2

    def __init__(
        self,
        problems: str | Iterable[Problem],
        *,
        code: str | None = None,
        where: Location | None = None,
        exit_code: int | None = None,
        message_en: str | None = None,
    ) -> None:
        if isinstance(problems, str):  # `message_en`: the same in English (default: what the code means)
            problems = [problem(code or self.code, where=where, message=problems, message_en=message_en)]
        self.problems: list[Problem] = list(problems)
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__("\n".join(map(str, self.problems)))

    def __reduce__(self) -> tuple[object, ...]:  # crosses process boundaries whole
        return _rebuild, (type(self), self.problems, self.exit_code)


def _rebuild(cls: type[EgovError], problems: list[Problem], exit_code: int) -> EgovError:
    return cls(problems, exit_code=exit_code)


class UsageError(EgovError):
    """A command given something it cannot use: options that exclude each other, a missing folder."""


class LanguageError(UsageError):
    """`--lang` or $EGOV_LANG names a language egov does not speak (`egovcli.lang`): a usage error
    (exit 2), as every other mistake on the command line."""


def sorted_by_line(problems: Iterable[Problem]) -> list[Problem]:
    """Problems of one file in line order (those about the whole file first), a stable sort."""
    return sorted(problems, key=lambda p: p.where.line or 0)


def title(code: str) -> str:
    """What `code` means, in Vietnamese: the catalogue message of a code that takes no parameters
    (a scoring flag, a verify finding), as legends and audit sheets name it."""
    return CATALOGUE[code].vi


# code: Spec(severity, category, Vietnamese message, English message) — by stage; docs/problems.md
# says for each what it means and what to do.
CATALOGUE: dict[str, Spec] = {
    # --- ingest: one submitted file (egov ingest) ----------------------------------------------------
    "I-NOT-A-REPORT": Spec(
        "info",
        "unsupported",
        "Bỏ qua: không phải tệp báo cáo ({formats})",
        "Skipped: not a report file ({formats})",
    ),
    "E-UNREADABLE": Spec(
        "error",
        "corrupt",
        "Không đọc được tệp: {reason}",
        "The file could not be read: {reason}",
    ),
    "E-EMPTY": Spec(
        "error",
        "empty",
        "Tệp không có bảng hay dòng số liệu nào đọc được",
        "The file has no table or data line that could be read",
    ),
    "W-NO-AGENCY": Spec(
        "warning",
        "",
        "Không tìm thấy tên cơ quan trong tệp; dùng tên tệp/thư mục: '{agency}'",
        "No agency name found in the file; using the file/folder name: '{agency}'",
    ),
    "W-UNKNOWN-GROUP": Spec(
        "warning",
        "",
        "Tên cơ quan '{agency}' không thuộc nhóm nào ({groups}): xếp hạng riêng ở khối «Chưa xếp nhóm»;"
        " ghi nhóm của cơ quan ở cột group của agencies.csv",
        "The agency name '{agency}' fits no group ({groups}): ranked apart in the block «Chưa xếp nhóm»"
        " (not grouped); give its group in agencies.csv's group column",
    ),
    "W-GROUP-NOT-RANKED": Spec(
        "warning",
        "",
        "Cơ quan '{agency}' (nhóm: {group}) không thuộc nhóm nào bộ tiêu chí xếp hạng ({groups}): xếp hạng"
        " riêng ở khối «Chưa xếp nhóm»",
        "The agency '{agency}' (group: {group}) is in none of the groups the rule set ranks ({groups}):"
        " ranked apart in the block «Chưa xếp nhóm» (not grouped)",
    ),
    "W-NO-PERIOD": Spec(
        "warning",
        "",
        "Không tìm thấy kỳ báo cáo (năm) trong tệp, và không suy ra được từ các tệp khác trong thư mục"
        " (kỳ của các tệp đó: {periods}); chạy lại với --period KỲ nếu cả thư mục là một kỳ",
        "No reporting period (year) found in the file, and none can be inferred from the other files"
        " of the folder (their periods: {periods}); run again with --period PERIOD if the whole folder"
        " is one period",
    ),
    "W-PERIOD-INFERRED": Spec(
        "warning",
        "",
        "Không tìm thấy kỳ báo cáo (năm) trong tệp: dùng kỳ {period} của {count} tệp khác trong thư mục"
        " (như {example}); nếu sai, chạy lại với --period",
        "No reporting period (year) found in the file: using period {period} of {count} other files"
        " of the folder (such as {example}); if wrong, run again with --period",
    ),
    "W-FORMULA-NO-VALUE": Spec(
        "warning",
        "",
        "Ô công thức chưa có giá trị tính sẵn (cần mở và lưu lại bằng Excel): {formula}",
        "Formula cell has no cached value (open and save it in Excel): {formula}",
    ),
    "W-UNPARSED-VALUE": Spec(
        "warning",
        "",
        "Không đọc được giá trị số '{raw}' của '{label}': giữ nguyên chữ đã ghi, không tính là 0",
        "Could not read a number from '{raw}' for '{label}': kept as written, never counted as 0",
    ),
    "W-IMPOSSIBLE-VALUE": Spec(
        "warning",
        "",
        "Giá trị '{raw}' của '{label}' không thể đúng: {issue}",
        "Value '{raw}' of '{label}' cannot be right: {issue}",
    ),
    "W-NO-CRITERION-PATH": Spec(
        "warning",
        "",
        "Dòng tự chấm điểm '{label}' không có số thứ tự (TT) nên không xác định được tiêu chí",
        "Self-score row '{label}' has no row number (TT), so its criterion is unknown",
    ),
    "W-UNKNOWN-CRITERION": Spec(
        "warning",
        "",
        "Dòng tự chấm điểm '{ref}' không khớp tiêu chí nào của bộ tiêu chí {rules}",
        "Self-score row '{ref}' matches no criterion of rule set {rules}",
    ),
    "E-NEEDS-LIBREOFFICE": Spec(
        "error",
        "unsupported",
        "Cần LibreOffice để đọc tệp {suffix}{detail} nhưng máy chưa cài (không có lệnh soffice):"
        " hãy cài LibreOffice ({hint}) rồi chạy lại 'egov ingest'",
        "LibreOffice is needed to read {suffix} files{detail} but is not installed (no soffice"
        " command): install it ({hint}) and run 'egov ingest' again",
    ),
    "E-NEEDS-LIBREOFFICE-PART": Spec(
        "error",
        "unsupported",
        "Cần LibreOffice {component} để đọc tệp {suffix}{detail}: máy có LibreOffice ({program}) nhưng"
        " chưa cài phần {component}; hãy cài ({hint}) rồi chạy lại 'egov ingest'",
        "LibreOffice {component} is needed to read {suffix} files{detail}: LibreOffice is installed"
        " ({program}) without {component}; install it ({hint}) and run 'egov ingest' again",
    ),
    "E-CONVERSION-FAILED": Spec(
        "error",
        "corrupt",
        "LibreOffice không chuyển được tệp sang .{target}: {reason}",
        "LibreOffice could not convert the file to .{target}: {reason}",
    ),
    "I-CONVERTED": Spec(
        "info",
        "",
        "Tệp {suffix} đã được LibreOffice chuyển sang .{target} ({seconds} giây) rồi mới đọc",
        "The {suffix} file was converted to .{target} by LibreOffice ({seconds} s) before reading",
    ),
    "I-MACROS-NOT-RUN": Spec(
        "info",
        "",
        "Tệp có macro (VBA): chỉ đọc các giá trị đã lưu trong tệp, macro không bao giờ được chạy",
        "The file holds macros (VBA): only the stored values are read, macros are never run",
    ),
    "I-LOCK-FILE": Spec(
        "info",
        "",
        "Bỏ qua: tệp khoá tạm do Excel/Word tạo khi đang mở tệp (~$…), không phải báo cáo",
        "Skipped: a temporary lock file Excel/Word creates while a file is open (~$…), not a report",
    ),
    "I-SKIPPED-LINK": Spec(
        "info",
        "unsupported",
        "Bỏ qua: đây là lối tắt (symlink) tới '{target}'; chỉ đọc các tệp thật nằm trong thư mục",
        "Skipped: a symbolic link to '{target}'; only real files inside the folder are read",
    ),
    "I-EGOV-OUTPUT": Spec(
        "info",
        "",
        "Bỏ qua: tệp do egov tạo ra (kết quả xếp hạng/tổng hợp), không phải báo cáo của cơ quan",
        "Skipped: a file egov wrote (a ranking or summary), not an agency's report",
    ),
    "I-SKIPPED-SPECIAL": Spec(
        "info",
        "unsupported",
        "Bỏ qua: không phải tệp thông thường ({kind})",
        "Skipped: not a regular file ({kind})",
    ),
    "E-EMPTY-FILE": Spec(
        "error",
        "empty",
        "Tệp rỗng (0 byte), không có nội dung: hãy đề nghị cơ quan gửi lại tệp",
        "The file is empty (0 bytes): ask the agency to send it again",
    ),
    "E-ENCRYPTED": Spec(
        "error",
        "encrypted",
        "Tệp {kind} được đặt mật khẩu nên không đọc được: hãy đề nghị cơ quan gỡ mật khẩu"
        " (Excel/Word: Tệp → Thông tin → Bảo vệ → Mã hoá bằng mật khẩu → xoá mật khẩu) rồi gửi lại",
        "The {kind} file is password-protected and cannot be read: ask the agency to remove the"
        " password (Excel/Word: File → Info → Protect → Encrypt with Password → clear it) and resend",
    ),
    "E-WRONG-TYPE": Spec(
        "error",
        "wrong_type",
        "Tệp có đuôi {suffix} nhưng thực chất là {actual}, không đọc được: {advice}",
        "The file is named {suffix} but is really {actual}, which cannot be read: {advice}",
    ),
    "W-WRONG-EXTENSION": Spec(
        "warning",
        "wrong_type",
        "Tệp có đuôi {suffix} nhưng thực chất là {actual}: đã đọc như {actual}; nên đặt lại đúng đuôi tệp",
        "The file is named {suffix} but is really {actual}: read as {actual}; rename it to match",
    ),
    "E-TOO-LARGE": Spec(
        "error",
        "too_large",
        "Tệp vượt giới hạn an toàn nên không đọc: {what} là {actual}, tối đa {limit}; {advice}",
        "The file exceeds a safety limit and was not read: {what} is {actual}, at most {limit}; {advice}",
    ),
    "W-PDF-TABLE-RULES": Spec(
        "warning",
        "",
        "Trang {page} có quá nhiều đường kẻ để tìm bảng kẻ ô ({what} là {actual}, tối đa {limit}):"
        " đã đọc chữ của trang như trang không có bảng kẻ ô; số liệu trong bảng kẻ ô (nếu có)"
        " cần kiểm tra lại",
        "Page {page} has too many ruling lines to look for ruled tables ({what} is {actual}, at most"
        " {limit}): its text was read as on a page without a ruled table; check any ruled table's figures",
    ),
    "E-TIMEOUT": Spec(
        "error",
        "timeout",
        "Đọc tệp quá {seconds} giây nên đã dừng (tệp quá phức tạp hoặc bị lỗi);"
        " có thể chạy lại với --timeout lớn hơn",
        "Reading the file took more than {seconds} s and was stopped (too complex or broken);"
        " run again with a larger --timeout if needed",
    ),
    "E-CRASHED": Spec(
        "error",
        "corrupt",
        "Chương trình đọc tệp bị dừng đột ngột ({reason}): tệp có thể bị hỏng hoặc cần quá nhiều bộ nhớ",
        "The reader stopped abruptly ({reason}): the file may be broken or need too much memory",
    ),
    "E-HOSTILE": Spec(
        "error",
        "hostile",
        "Tệp chứa cấu trúc nguy hiểm nên không được đọc ({what}): hãy mở tệp bằng Excel/Word,"
        " lưu thành tệp mới rồi gửi lại",
        "The file contains a dangerous structure and was not read ({what}): open it in Excel/Word,"
        " save it as a new file and resend it",
    ),
    # --- scoring flags (egov score; the `flags` column) ----------------------------------------------
    "over_max": Spec(
        "warning", "", "Điểm vượt điểm tối đa của tiêu chí", "A score above its criterion's maximum"
    ),
    "claim_exceeds_evidence": Spec(
        "warning",
        "",
        "Điểm tự đánh giá cao hơn số liệu minh chứng",
        "A self-assessed score above what the reported figures give",
    ),
    "subtotal_mismatch": Spec(
        "warning",
        "",
        "Tổng điểm ghi trong báo cáo khác tổng các dòng",
        "A total written in the report differs from the sum of its rows",
    ),
    "missing_self_score": Spec("warning", "", "Thiếu điểm tự đánh giá", "No self-assessed score"),
    "blank_value": Spec(
        "warning", "", "Số liệu để trống, không tính được", "A figure was left blank: it cannot be scored"
    ),
    "text_value": Spec(
        "warning",
        "",
        "Số liệu ghi bằng chữ, không tính được",
        "A figure is written as text (\"Đang xây dựng\"): it cannot be scored",
    ),
    "zero_denominator": Spec(
        "warning", "", "Mẫu số bằng 0, không tính được tỷ lệ", "A ratio divides by 0: no share is computed"
    ),
    "not_a_ratio": Spec(
        "warning", "", "Tỷ lệ không ghi dạng a/b hoặc %", "A share written as a bare number, not as a/b or %"
    ),
    "negative_value": Spec("warning", "", "Số lượng âm", "A count below 0"),
    "unknown_category": Spec(
        "warning",
        "",
        "Câu trả lời không khớp phương án nào của tiêu chí",
        "An answer that matches none of the criterion's options",
    ),
    "inconsistent_figures": Spec(
        "warning", "", "Các số liệu mâu thuẫn nhau", "Figures that contradict each other (a − b < 0)"
    ),
    "needs_other_agencies": Spec(
        "warning",
        "",
        "Tiêu chí so với đơn vị tốt nhất nhưng chấm riêng một cơ quan",
        "A normalised_to_best criterion scored without the agencies it compares with",
    ),
    # --- findings of egov verify (the `kind` column; over_max above is one too) ------------------------
    "total_mismatch": Spec(
        "warning",
        "",
        "Tổng điểm in khác tổng các phần in của nó",
        "A printed total that is not the sum of its printed parts",
    ),
    "rank_mismatch": Spec(
        "warning",
        "",
        "Thứ hạng in (hoặc thứ tự dòng) khác thứ hạng theo tổng điểm",
        "A printed rank, or a row printed out of score order, that the totals do not give",
    ),
    "missing_value": Spec(
        "warning", "", "Bảng in thiếu điểm", "A score (a cell, a total, a domain row) missing from the table"
    ),
    # --- rule-set files (egov rules validate, --rules) ------------------------------------------------
    "E-RULES-NOT-FOUND": Spec(
        "error", "", "Không tìm thấy bộ tiêu chí", "Rule set not found (no such shipped name or file)"
    ),
    "E-RULES-UNREADABLE": Spec(
        "error",
        "",
        "Không đọc được tệp bộ tiêu chí",
        "The rule-set file cannot be read (not a regular file, an I/O error, not UTF-8)",
    ),
    "E-RULES-TOO-LARGE": Spec(
        "error", "", "Tệp bộ tiêu chí quá lớn", "The rule-set file is larger than 5 MB"
    ),
    "E-RULES-YAML": Spec(
        "error",
        "",
        "YAML không hợp lệ",
        "Invalid YAML (syntax, a forbidden character or tag, nesting or aliases beyond the limits)",
    ),
    "E-RULES-DUPLICATE-KEY": Spec(
        "error", "", "Một khóa lặp lại trong cùng một bảng khóa", "A key repeated in one mapping"
    ),
    "E-RULES-FIELD": Spec(
        "error",
        "",
        "Khóa thiếu, trống hoặc lạ, hay giá trị sai kiểu",
        "A key missing, empty or unknown, or a value of the wrong kind",
    ),
    "E-RULES-VALUE": Spec("error", "", "Giá trị ngoài khoảng cho phép", "A value outside its allowed range"),
    "E-RULES-DUPLICATE-ID": Spec("error", "", "Mã (id) dùng hai lần", "An id used twice"),
    "E-RULES-REFERENCE": Spec(
        "error",
        "",
        "Nhắc tới mục, tiểu mục, điều kiện, nhóm, chỉ tiêu hay tiêu chí không có",
        "A reference to a section, subsection, condition, group, indicator or criterion that does not exist",
    ),
    "E-RULES-FORMULA": Spec("error", "", "Công thức không dùng được", "A formula that cannot be used"),
    "E-RULES-SUM": Spec(
        "error",
        "",
        "Điểm tối đa hoặc trọng số cộng lại không khớp",
        "Maxima or weights that do not add up to the declared total",
    ),
    "E-RULES-BANDS": Spec(
        "error",
        "",
        "Bậc điểm không bao giờ được áp dụng (ngưỡng chồng nhau hoặc sai thứ tự)",
        "A band no value can reach (overlapping or unordered thresholds)",
    ),
    "W-RULES-DECIMAL-COMMA": Spec(
        "warning",
        "",
        "Số viết dấu phẩy thập phân (2,5) được đọc là 2.5",
        "A number written with a decimal comma (2,5) was read as 2.5",
    ),
    "W-RULES-TODO": Spec(
        "warning",
        "",
        "Việc còn phải làm trong bộ tiêu chí (bản nháp, khóa todo)",
        "Something a draft rule set still leaves to do (a todo: key)",
    ),
    # --- the CSV files a person edits: agencies.csv, mapping.csv, adjustments.csv -----------------------
    "E-CSV-UNREADABLE": Spec(
        "error", "", "Không đọc được tệp CSV", "The CSV file cannot be read (missing, I/O error, not UTF-8)"
    ),
    "E-CSV-QUOTE": Spec(
        "error",
        "",
        "Lỗi dấu ngoặc kép: một ô mở bằng \" không đóng",
        "A quote error: a cell opened with \" is not closed",
    ),
    "E-CSV-CELL-TOO-LONG": Spec("error", "", "Ô quá dài", "A cell longer than 131 072 characters"),
    "E-CSV-HEADER": Spec(
        "error", "", "Dòng tiêu đề thiếu cột bắt buộc", "The header row lacks a required column"
    ),
    "E-CSV-COLUMNS": Spec(
        "error", "", "Dòng có số cột khác dòng tiêu đề", "A row with more (or fewer) cells than the header"
    ),
    "E-CSV-MISSING": Spec("error", "", "Thiếu giá trị bắt buộc", "A required cell is empty"),
    "E-CSV-DUPLICATE": Spec(
        "error", "", "Giá trị lặp lại hoặc trùng nhau", "An entry given twice, or clashing with another"
    ),
    "E-CSV-UNKNOWN": Spec(
        "error",
        "",
        "Nhắc tới cơ quan, nhóm, kỳ, tiêu chí hay chỉ tiêu không có",
        "A name that egov does not know (agency, group, period, criterion, indicator)",
    ),
    "E-CSV-VALUE": Spec(
        "error", "", "Giá trị không hợp lệ", "A value that cannot be used (not a number, out of range)"
    ),
    "E-AGENCY-PREDECESSOR": Spec(
        "error",
        "",
        "agencies.csv: đơn vị tiền thân (merged_from) viết như một id nhưng không có id hay tên đó",
        "agencies.csv: a predecessor (merged_from) written like an id that is no id or name of the file",
    ),
    "E-AGENCY-SELF": Spec(
        "error",
        "",
        "agencies.csv: đơn vị hợp nhất hoặc đổi tên từ chính nó",
        "agencies.csv: a unit merged or renamed from itself",
    ),
    "E-AGENCY-CYCLE": Spec(
        "error",
        "",
        "agencies.csv: vòng hợp nhất/đổi tên (A từ B, B từ A)",
        "agencies.csv: a cycle of mergers or renames (A from B, B from A)",
    ),
    "E-AGENCY-DATE": Spec(
        "error",
        "",
        "agencies.csv: ngày since không hợp lệ",
        "agencies.csv: a since date that is no date (dd/mm/yyyy or yyyy-mm-dd)",
    ),
    "E-ADJUSTMENTS-STALE": Spec(
        "error",
        "",
        "Điều chỉnh sau thẩm định đã lưu không còn khớp với dữ liệu",
        "The appraisal adjustments stored in the workspace no longer match the data",
    ),
    # --- the workspace -------------------------------------------------------------------------------
    "E-WORKSPACE-MISSING": Spec(
        "error", "", "Không tìm thấy workspace", "No workspace at that path (run egov ingest first)"
    ),
    "E-WORKSPACE-FOREIGN": Spec(
        "error",
        "",
        "Tệp không phải workspace của egov",
        "The file is not an egov workspace (a report, an empty file, another database, a folder)",
    ),
    "E-WORKSPACE-LOCKED": Spec(
        "error", "", "Workspace đang bị khoá quá lâu", "The workspace stayed locked by another process"
    ),
    "E-WORKSPACE-FULL": Spec(
        "error",
        "",
        "Không ghi được vào workspace (hết chỗ trên đĩa)",
        "The workspace cannot be written (disk full, file-size limit, write error)",
    ),
    "E-WORKSPACE": Spec(
        "error",
        "",
        "Không mở được workspace",
        "The workspace cannot be opened (a newer version, an I/O error, a bad EGOV_BUSY_TIMEOUT)",
    ),
    # --- commands: options, inputs and outputs --------------------------------------------------------
    "E-USAGE": Spec(
        "error",
        "",
        "Lệnh không dùng được như đã gõ",
        "The command cannot run as given (options that exclude each other, a missing file or folder)",
    ),
    "E-UNKNOWN-AGENCY": Spec(
        "error", "", "Không có cơ quan (hoặc kỳ) này trong kết quả chấm điểm",
        "No such agency (or period) in the scoring run",
    ),
    "E-NO-SCORES": Spec(
        "error", "", "Chưa có kết quả chấm điểm", "No scoring run in the workspace (run egov score first)"
    ),
    "E-NOTHING-TO-VERIFY": Spec(
        "error",
        "",
        "Tệp không có bảng xếp hạng nào để kiểm tra",
        "The file holds no published ranking table to verify",
    ),
    "E-VERIFY-RULES-MISFIT": Spec(
        "error",
        "",
        "Bộ tiêu chí không khớp với bảng đã công bố (số cột thành phần khác, đa số dòng vượt điểm tối đa)",
        "The rule set does not fit the published table (another number of components, maxima exceeded "
        "by most rows)",
    ),
    "I-TABLES-SEEN": Spec(
        "info",
        "",
        "Các bảng đã thấy trong tệp (không bảng nào là bảng xếp hạng): {tables}",
        "Tables seen in the file (none of them a ranking table): {tables}",
    ),
    "I-VERIFY-UNCHECKED": Spec(
        "info",
        "",
        "Phần của bảng đã công bố không kiểm tra được (chỉ in tổng, các phần không cộng lại thành tổng, "
        "cột TT không phải thứ hạng)",
        "Part of a published table that could not be checked (totals printed alone, parts that do not "
        "add up to the total, a TT column that is no rank)",
    ),
    "E-NO-CRITERIA-TABLE": Spec(
        "error",
        "",
        "Tệp không có bảng tiêu chí nào để soạn bộ tiêu chí",
        "The file holds no criteria table (STT | Nội dung / Chỉ số | Điểm tối đa …) to draft a rule set from",
    ),
    "E-OUTPUT-FORMAT": Spec(
        "error",
        "",
        "Không rõ hoặc mâu thuẫn định dạng ghi",
        "An output format that is unknown or contradicts the file's extension",
    ),
    "E-OUTPUT-REFUSED": Spec(
        "error",
        "",
        "Không ghi ra đích này",
        "An output target refused (a folder, a block device, the workspace, an input of the command)",
    ),
    "E-OUTPUT-FAILED": Spec(
        "error",
        "",
        "Ghi kết quả không thành công",
        "An output could not be written (disk full, file-size limit); the previous file is kept",
    ),
    "E-CATALOGUE": Spec(
        "error",
        "",
        "Danh mục chỉ tiêu của egov bị lỗi",
        "egov's own indicator catalogue is inconsistent (a bug in egov or a local edit of it)",
    ),
}
