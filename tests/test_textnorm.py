import re
import unicodedata

from egovcli.agencies import display_name, infer_group, name_from_path
from egovcli.indicators import Matcher, catalogue
from egovcli.textnorm import fold, key, lazy_pattern, nfc

DEPARTMENT, DISTRICT = "department", "district"


def test_nfc_and_nfd_compare_equal() -> None:
    nfd = unicodedata.normalize("NFD", "Sở Tài chính")
    assert nfd != "Sở Tài chính"
    assert nfc(nfd) == "Sở Tài chính"
    assert key(nfd) == key("SỞ TÀI CHÍNH")


def test_fold_removes_accents_and_d_stroke() -> None:
    assert fold("Đào tạo  ĐIỆN tử") == "dao tao dien tu"
    assert key("Máy chủ:") == "may chu"


def test_agency_groups() -> None:
    assert infer_group("Sở Tài chính tỉnh Hà Nam") == DEPARTMENT
    assert infer_group("UBND huyện Kim Bảng") == DISTRICT
    assert infer_group("Ủy ban nhân dân thành phố Phủ Lý") == DISTRICT
    assert infer_group("Ban Quản lý các khu công nghiệp") == DEPARTMENT


def test_agency_names() -> None:
    assert display_name("SỞ Y TẾ") == "Sở Y tế"
    assert display_name(" Sở Tư pháp. ") == "Sở Tư pháp"
    assert name_from_path("so-y-te.docx") == "so y te"
    assert name_from_path("Sở Y tế/bao-cao.pdf") == "Sở Y tế"


def test_seed_004_labels_map_to_indicators() -> None:
    labels = {
        "Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan": "staff_total",
        "Tổng số cán bộ, công chức và người lao động của cơ quan": "staff_total",
        "Tổng số máy tính được trang bị (gồm máy tính để bàn, xách tay, máy tính bảng)": "computers_total",
        "Máy tính cá nhân (để bàn và xách tay)": "computers_total",
        "Số máy trạm kết nối trong mạng Lan, Internet": "computers_networked",
        "Máy chủ": "servers",
        "Máy Scanner (quét văn bản)": "scanners",
        "Firewall": "firewalls",
        "Số lượng văn bản đi/đến trên mạng năm 2022 (đến thời điểm báo cáo)": (
            "documents_sent_received_online"
        ),
    }
    for label, indicator in labels.items():
        assert Matcher().match(label).indicator == indicator, label


def test_short_aliases_do_not_swallow_longer_labels() -> None:
    assert Matcher().match("Máy chủ quản trị mạng LAN").indicator == ""


def test_catalogue_ids_unique_and_named() -> None:
    cat = catalogue()
    assert all(ind.name and ind.id == key_id for key_id, ind in cat.items())


# --- one Vietnamese number formatter (issue 12, item 2) -----------------------------------------------
def test_numbers_are_written_one_vietnamese_way() -> None:
    """What the five formatters it replaces wrote (points, score explanations, value issues, sizes,
    seconds), and where they differed: "-0" is never written (fmt_points already said "0")."""
    from egovcli.textnorm import vi_number

    assert [vi_number(v) for v in (487.5, 500.0, 9.3333, 0.1 + 0.2, 93.95, -3, None)] == [
        "487,5", "500", "9,33", "0,3", "93,95", "-3", "",
    ]
    assert [vi_number(v) for v in (-0.0, -0.001, -0.004)] == ["0", "0", "0"]
    assert [vi_number(98.4, 0), vi_number(100.0, 0), vi_number(96.2963, 4)] == ["98", "100", "96,2963"]
    assert [vi_number(n, 1, fixed=True) for n in (1.5, 2.0, -0.01)] == ["1,5", "2,0", "0,0"]


def test_value_issues_and_score_explanations_share_the_formatter() -> None:
    from egovcli.ingest.readers.safety import megabytes
    from egovcli.values import parse_value

    assert parse_value("435/463 (98%)").issue == "tỷ lệ ghi 98% không khớp 435/463 = 93,95%"
    assert parse_value("-0,001 người").issue == "số lượng âm (-0,001 người)"  # was "-0 người"
    assert megabytes(1572864) == "1,5 MB" and megabytes(2 * 1024 * 1024) == "2,0 MB"



def test_no_module_writes_a_decimal_comma_itself() -> None:
    """Numbers are written the Vietnamese way by `textnorm.vi_number` only."""
    from pathlib import Path

    import egovcli

    package = Path(egovcli.__file__).parent
    found = [str(p.relative_to(package)) for p in package.rglob("*.py")
             if p.name != "textnorm.py" and 'replace(".", ",")' in p.read_text(encoding="utf-8")]
    assert found == []


def test_nfc_all_is_nfc_of_each_text_met_before_or_not_and_stays_bounded(monkeypatch) -> None:
    """A row's texts looked up all at once (a round repeats them) give `nfc` of each; a new text, a
    long one, a non-text and a full memory (emptied, never grown) change nothing."""
    from egovcli import textnorm

    textnorm._KNOWN.clear()  # (a cache: emptied as when full)
    monkeypatch.setattr(textnorm, "_KNOWN_MAX", 3)
    decomposed = unicodedata.normalize("NFD", "  Tổng   số ")
    rows = [["", "Có", decomposed], ["Có", "x" * 300, None, 5], ["a", "b", "c", "d"], ["", "Có", decomposed]]
    for row in rows:
        assert textnorm.nfc_all(iter(row)) == [nfc(text) for text in row]
        assert len(textnorm._KNOWN) <= 3


def test_remembered_gives_its_function_s_results_keeps_short_texts_only_bounded(monkeypatch) -> None:
    from egovcli import textnorm

    monkeypatch.setattr(textnorm, "_MEMO_SIZE", 2)
    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    remember = textnorm.remembered(upper)
    memo = remember.__self__  # type: ignore[attr-defined]
    long = "x" * 201
    got = [remember(t) for t in ("a", "a", long, long, "b", "c", "a")]
    assert got == ["A", "A", long.upper(), long.upper(), "B", "C", "A"]
    assert calls == ["a", long, long, "b", "c", "a"]  # met again: not worked out again, unless let go
    assert len(memo) <= 2 and long not in memo


def test_lazy_pattern_is_the_compiled_pattern_once_used() -> None:
    """A pattern compiled on first use answers as `re.compile` would, for every method and attribute."""
    source = r"(có|không)\s*(\d+)?"
    lazy, eager = lazy_pattern(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    for text in ("Có 3", "KHÔNG", "x", ""):
        assert repr(lazy.match(text)) == repr(eager.match(text))
        assert lazy.sub("-", text) == eager.sub("-", text)
        assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert (lazy.pattern, lazy.flags, lazy.groups) == (eager.pattern, eager.flags, eager.groups)
