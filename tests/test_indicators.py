"""Label → indicator matching (exact, prefix, fuzzy, pinned, none) on labels as the five seeds print
them, the guards against false positives, mapping.csv pins, and the catalogue's derived indicators.

Seeds: 000 Hà Tĩnh raw-data form, 001 Hòa Bình published criteria (headers with OCR damage), 002 Bình
Định survey forms, 003 Tuyên Quang quarterly annex, 004 Hà Nam report (/work/shared/seeds/).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from egovcli.indicators import (
    FUZZY_THRESHOLD,
    CatalogueError,
    Derivation,
    MappingError,
    Match,
    Matcher,
    catalogue,
    derivation_order,
    load_catalogue,
    load_mapping,
)
from egovcli.indicators.matcher import _index
from egovcli.indicators.normal import replaces_a_word
from egovcli.score.derived import derive_inputs
from egovcli.score.formulas import Input
from egovcli.textnorm import key


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher()


@pytest.mark.parametrize(("label", "indicator"), [
    # 000 Hà Tĩnh, as printed (trailing colons included)
    ("Số cán bộ công chức:", "staff_office"),
    ("Tổng số CBCCVC tại các đơn vị sự nghiệp:", "staff_units"),
    ("Số lượng máy tính để bàn (PC) tại đơn vị:", "desktops"),
    ("Số lượng máy tính xách tay (laptop)", "laptops"),
    ("Tổng số máy tính để bàn (PC) trong đơn vị sự nghiệp trực thuộc", "units_desktops"),
    ("Số lượng máy Scan bị hỏng từ 1-3 tháng/năm", "scanners_broken"),
    ("Hệ thống tường lửa/ giám sát truy nhập trái phép, bảo vệ an toàn mạng LAN", "firewalls"),
    ("Số lượng DVC TT mức độ 3", "dvc_level3_count"),
    ("Số lượng DVC TT mức độ 4", "dvc_level4_count"),
    ("Phần mềm kế toán và quản lý tài sản công", "accounting_asset_software"),
    # 001 Hòa Bình column headers
    ("Tỷ lệ máy tính trong CQNN của đơn vị có cài PM virus có bản quyền", "antivirus_share"),
    ("Tỷ lệ máy tính trong CQNN của đơn vị có cài PM virus miễn phí", "antivirus_free_share"),
    ("Chương trình, kế hoạch CCHC có nội dung UDCNTT", "reform_plan_it"),
    ("Tổng số máy tính/Tổng số CBCC của đơn vị", "computer_equipped_share"),
    # 002 Bình Định
    ("Tổng số cán bộ, công chức (CBCC) của khối Văn phòng", "staff_office"),
    ("Tổng số máy tính có kết nối Internet", "computers_networked"),
    ("Tổng số máy tính không kết nối Internet vì lý do bảo mật an toàn thông tin", "computers_offline"),
    # 003 Tuyên Quang
    ("Tổng số máy tính tại các CQNN của huyện/thành phố:", "computers_total"),
    ("Tổng số thủ tục hành chính của huyện/thành phố:", "procedures_total"),
    ("- Tổng số dịch vụ công trực tuyến mức độ 3,4:", "dvc_online"),  # = "Tổng số DVCTT mức độ 3, 4"
    # 004 Hà Nam
    ("Máy chủ", "servers"),
    ("Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan", "staff_total"),
])
def test_exact_matches_across_seeds(matcher: Matcher, label: str, indicator: str) -> None:
    assert matcher.match(label) == Match(indicator, 100.0, "exact")


def test_abbreviations_and_spelling_variants_are_exact(matcher: Matcher) -> None:
    # 001 prints "Tlệ" for "Tỷ lệ"; "Tỉ lệ", "DVC TT" / "dịch vụ công trực tuyến" and "Số lượng" / "Số"
    for written in ("Tlệ", "Tỉ lệ"):
        assert matcher.match(f"{written} CBCC được cấp thư điện tử công vụ của tỉnh").indicator == (
            "email_accounts_share"
        ), written
    assert matcher.match("Số dịch vụ công trực tuyến mức độ 4").indicator == "dvc_level4_count"


@pytest.mark.parametrize(("label", "indicator"), [
    ("Số lượng văn bản đi/đến trên mạng năm 2022 (đến thời điểm báo cáo)", "documents_sent_received_online"),
    ("Số lượng máy tính để bàn (PC)", "desktops"),  # 000's label without its "tại đơn vị"
    ("Số lượng máy tính xách tay (laptop) tại đơn vị", "laptops"),
    ("Tổng kinh phí chi cho CNTT trong năm", "it_budget"),  # 000's label without "(Triệu đồng)"
    ("Tổng số văn bản đến", "incoming_docs_total"),  # 000's label without "trong năm"
])
def test_prefix_only_across_qualifiers(matcher: Matcher, label: str, indicator: str) -> None:
    found = matcher.match(label)
    assert (found.indicator, found.method) == (indicator, "prefix")
    assert 0 < found.score < 100


def test_prefix_does_not_extend_over_words_that_change_the_meaning(matcher: Matcher) -> None:
    # "Tổng số máy tính được trang bị" is an alias; what follows here is not a qualifier (002)
    assert matcher.match("Tổng số máy tính được trang bị phần mềm diệt virus").indicator == ""
    antivirus = "Tổng số máy tính được trang bị phần mềm diệt virus có bản quyền"
    assert matcher.match(antivirus).indicator == "antivirus_computers"


@pytest.mark.parametrize(("seed", "label", "indicator"), [
    ("001", "Tlệ CBCC được cấp thư điện t công vụ của tnh", "email_accounts_share"),
    ("001", "Tỷ lệ văn bn được ký số", "outgoing_docs_signed_share"),
    ("001", "Tỷ lệ văn bn được phát hành qua Phần mềm", "outgoing_docs_online_share"),
    ("001", "Quy định về đm bảo an toàn, ANTT", "security_policy"),
    ("001", "Ngân sách đu tư cho CNTT của đơn vị", "it_budget"),
    ("001", "Triển khai PM một ca điện t", "one_stop_software"),
    ("002", "Chương trình, kế hoạch cải cách hành chính có bao gồm ứng dụng CNTT", "reform_plan_it"),
    ("002", "Số lượng văn bản điện tử gửi (VB đi) đã có chữ ký số/ Tổng số văn bản điện tử gửi (VB đi)",
     "outgoing_docs_signed_share"),
    ("003", "Tổng số dịch vụ công trực tuyến mức độ 1, 2", "dvc_level12_count"),
    ("004", "Tổng số cán bộ, công chức, người lao động của cơ quan", "staff_total"),
    ("000", "Số cán bộ, công chức được cấp tài khoản và sử dụng thường xuyên phần mềm QLVB&ĐH", "edms_users"),
])
def test_fuzzy_matches_real_variants(matcher: Matcher, seed: str, label: str, indicator: str) -> None:
    found = matcher.match(label)
    assert (found.indicator, found.method) == (indicator, "fuzzy"), seed
    assert FUZZY_THRESHOLD <= found.score <= 100  # 100: only function words ("và", "của") differ


@pytest.mark.parametrize(("seed", "label", "not_this"), [
    ("004", "Máy chủ quản trị mạng LAN", "servers"),  # a short alias must not swallow a longer label
    ("000", "Số lượt tập huấn nâng cao kỹ năng ứng dụng CNTT cho cán bộ công chức trong năm",
     "staff_it_trained"),
    ("000", "Danh sách phần mềm quản lý nghiệp vụ chuyên ngành", "specialised_software"),  # a list
    ("000", "Tên đơn vị", "subordinate_units"),
    ("---", "Tỷ lệ vào lịch công tác hàng tuần của lãnh đạo", "calendar_personal_share"),
    # a question whose answer the reader splits into sub-items ("… – Chuyên trách", "… – Kiêm nhiệm"):
    # the bare question is neither
    ("002", "Cán bộ phụ trách về CNTT tại Văn phòng của sở, ban, ngành", "it_staff_part_time_office"),
    ("002", "Trình độ chuyên môn nghiệp vụ của cán bộ phụ trách về CNTT (văn bằng trong lĩnh vực CNTT)",
     "it_graduates"),
    ("002", "Số lượng CBCC chuyên trách CNTT có chứng chỉ quốc tế về CNTT (một người có thể có nhiều chứng "
     "chỉ)", "it_staff_other_certified"),
    # names no application: under "Quản lý kế toán - tài chính" in 003, but the heading is not in the label
    ("003", "Số lượng UBND cấp huyện đã triển khai", "accounting_software_share"),
    ("003", "Số CBCCVC cấp huyện được cấp tài khoản thư điện tử dùng riêng",  # scope: cấp huyện + dùng riêng
     "email_private_accounts"),
    ("---", "Phần mềm kế toán: MISA", "accounting_software"),  # only a fill-in alias takes the text after ":"
    ("002", "Giải pháp khác Ổ cứng di động", "backup_other"),  # … and only after the colon
])
def test_near_misses_stay_unmapped(matcher: Matcher, seed: str, label: str, not_this: str) -> None:
    # catalogue `not_indicators` labels: unmapped, and known to be so
    reviewed = label in ("Tên đơn vị", "Danh sách phần mềm quản lý nghiệp vụ chuyên ngành")
    expected = Match("", 100.0, "not_indicator") if reviewed else Match("", 0.0, "none")
    assert matcher.match(label) == expected, (seed, not_this)


@pytest.mark.parametrize(("seed", "label", "indicator", "not_this"), [
    ("003", "Tỷ lệ CBCCVC thường xuyên sử dụng internet để xử lý công việc", "staff_internet_use_share",
     "staff_computer_use_share"),
    ("003", "Tổng số CBCCVC phụ trách CNTT của đơn vị", "it_staff_part_time",
     "it_staff"),  # phụ trách ≠ chuyên trách
    ("003", "Tỷ lệ CBCC tại UBND cấp xã trang bị máy tính", "computer_equipped_share_communes",
     "computer_equipped_share"),
    ("003", "Số lượng máy tính của UBND cấp xã được cài đặt", "antivirus_computers_communes",
     "computers_communes"),
    ("000", "Số bài tuyên truyền về chế độ, chính sách lao động", "portal_labour_policy_posts",
     "portal_outreach_posts"),
    ("003", "Số lượng CBCCVC cấp huyện được cấp tài khoản thư điện tử dùng chung", "email_shared_accounts",
     "email_accounts"),
    ("002", "Cán bộ phụ trách về CNTT tại Văn phòng của sở, ban, ngành – Kiêm nhiệm",
     "it_staff_part_time_office", "it_staff_office"),
    ("002", "Xây dựng Quy chế giám sát an toàn thông tin trong cơ quan (cộng điểm khuyến khích)",
     "security_monitoring_policy", "security_policy"),
    ("000", "Báo cáo chỉ tiêu ngành hàng quý", "sector_reports_quarterly", "it_reports_quarterly"),
])
def test_look_alikes_map_to_their_own_indicator(matcher: Matcher, seed: str, label: str, indicator: str,
                                                not_this: str) -> None:
    assert matcher.match(label) == Match(indicator, 100.0, "exact"), (seed, not_this)


@pytest.mark.parametrize(("label", "indicator", "method"), [
    # the sub-item must agree: a variant of "… – Kiêm nhiệm" is part-time staff, of "… – Chuyên trách" not
    ("Cán bộ phụ trách CNTT tại Văn phòng của sở, ban, ngành – Kiêm nhiệm", "it_staff_part_time_office",
     "fuzzy"),
    ("Cán bộ phụ trách CNTT tại Văn phòng của sở, ban, ngành – Chuyên trách", "it_staff_office", "fuzzy"),
    ("Trình độ chuyên môn nghiệp vụ của cán bộ phụ trách CNTT (văn bằng trong lĩnh vực CNTT) – Thạc sỹ",
     "it_postgraduates", "fuzzy"),
    # dùng chung / dùng riêng is part of the scope: with it, the shared system; without it, all accounts
    ("Tổng số CBCCVC cấp huyện được cấp tài khoản thư điện tử dùng chung", "email_shared_accounts", "fuzzy"),
    ("Tổng số CBCCVC cấp huyện được cấp tài khoản thư điện tử", "email_accounts", "fuzzy"),
    ("Tổng số CQNN thuộc UBND huyện Yên Sơn", "agencies_total", "fuzzy"),
    # a fill-in field: the agency's own text after the colon
    ("Giải pháp khác: Ổ cứng di động", "backup_other", "prefix"),
    ("Giải pháp khác", "backup_other", "exact"),
    ("Triển khai một số phòng, ban gồm: Văn phòng, Thanh tra", "edms_some_departments", "prefix"),
])
def test_sub_items_scope_and_fill_in_fields(matcher: Matcher, label: str, indicator: str,
                                            method: str) -> None:
    found = matcher.match(label)
    assert (found.indicator, found.method) == (indicator, method)


# The usual ways a form asks for the whole staff (issue 11): each is staff_total, exactly.
@pytest.mark.parametrize("label", [
    "Tổng số cán bộ, công chức", "Tổng số cán bộ, công chức:", "Tổng số cán bộ công chức", "Tổng số CBCC",
    "Tổng số CBCCVC", "Tổng số cán bộ công chức viên chức", "Tổng số cán bộ, công chức, viên chức (CBCCVC)",
    "Số cán bộ, công chức, viên chức", "Số CBCCVC", "Số lượng CBCCVC",
    "Số lượng cán bộ, công chức, viên chức",
])
def test_whole_staff_labels_are_staff_total(matcher: Matcher, label: str) -> None:
    assert matcher.match(label) == Match("staff_total", 100.0, "exact")


# ... and the staff labels that count something else, or a part of the staff, are not.
@pytest.mark.parametrize(("label", "indicator"), [
    ("Số cán bộ chuyên trách CNTT", "it_staff"),
    ("Tổng số cán bộ chuyên trách CNTT", "it_staff"),
    ("Số cán bộ công chức:", "staff_office"),  # 000 A.9: the office, its units are A.11
    ("Tổng số cán bộ, công chức (CBCC) của khối Văn phòng", "staff_office"),
    ("Tổng số CBCCVC tại các đơn vị sự nghiệp:", "staff_units"),
    ("Số lượng CBCCVC cấp xã", "staff_communes"),
    ("Tổng số cán bộ, công chức cấp xã", "staff_communes"),
    ("Tổng số CBCC được trang bị máy tính trong toàn cơ quan", "staff_with_computers"),
    ("Tổng số CBCC được tập huấn về CNTT trong năm", "staff_it_trained"),
    ("Tổng số CBCCVC phụ trách CNTT của đơn vị", "it_staff_part_time"),
    ("Tổng số cán bộ, công chức được cấp máy tính", ""),
    ("Tổng số cán bộ, công chức, viên chức được đào tạo", ""),
    ("Tổng số cán bộ, công chức nữ", ""),  # a part of the staff counted apart
    ("Tổng số CBCCVC nữ", ""),
    ("Tỷ lệ/tổng số CBCCVC", ""),
])
def test_other_staff_labels_are_not_staff_total(matcher: Matcher, label: str, indicator: str) -> None:
    assert matcher.match(label).indicator == indicator


def test_an_abbreviation_in_brackets_counts_once(matcher: Matcher) -> None:
    """"cán bộ, công chức (CBCC)": the bracketed abbreviation repeats the words before it."""
    spelled_and_abbreviated = "Tổng số cán bộ, công chức, viên chức (CBCCVC) của cơ quan"
    assert matcher.match(spelled_and_abbreviated).indicator == "staff_total"
    assert matcher.match("Tổng số thủ tục hành chính (TTHC) của huyện/thành phố") == Match(
        "procedures_total", 100.0, "exact")
    # 002 Phụ lục II: the district's bandwidth, printed without 003's "(cách tính xem tại mục 10.1 …)"
    assert matcher.match("Tổng băng thông kết nối Internet quy đổi của UBND cấp huyện").indicator == (
        "internet_bandwidth")


def test_numbers_in_labels_must_agree(matcher: Matcher) -> None:
    assert matcher.match("Tổng số dịch vụ công trực tuyến mức độ 3").indicator == "dvc_level3_count"
    assert matcher.match("Tổng số dịch vụ công trực tuyến mức độ 4").indicator == "dvc_level4_count"
    assert matcher.match("Số hồ sơ nộp trực tuyến mức độ 4").indicator == "online_dossiers_level4"
    assert matcher.match("Số văn bản trả lời quá hạn sau 10 ngày").indicator == "replies_late_10d"
    assert matcher.match("Số văn bản trả lời quá hạn sau 07 ngày").indicator == ""  # no such rule


def test_shares_counts_direction_negation_and_scope_are_not_confused(matcher: Matcher) -> None:
    # tỷ lệ vs số lượng: the count reads like a share alias but is a count
    assert matcher.match("Số văn bản đến được số hóa, nhận qua Hệ thống QLVB&ĐH").indicator != (
        "incoming_docs_online_share")
    assert matcher.match("Tỷ lệ máy tính có kết nối Internet").indicator == "internet_computers_share"
    # đi vs đến
    assert matcher.match("Số văn bản đi được Lãnh đạo duyệt và chỉ đạo trực tuyến trên Hệ thống QLVB&ĐH"
                         ).indicator != "incoming_docs_directed"
    # không
    assert matcher.match("Tổng số máy tính không kết nối Internet").indicator != "computers_networked"
    # đơn vị sự nghiệp vs the office
    assert matcher.match("Số lượng máy tính để bàn (PC) tại các đơn vị sự nghiệp trực thuộc").indicator == (
        "units_desktops")


def test_no_two_indicators_are_within_the_fuzzy_threshold() -> None:
    """Aliases of different indicators that the guards let compete differ by more than the threshold,
    so the closest alias never decides between two indicators on a hair."""
    index = _index()
    compared = 0
    for aliases, ids in index.fuzzy.values():
        for i, a in enumerate(aliases):
            for j in range(i + 1, len(aliases)):
                if ids[i] != ids[j] and not replaces_a_word(a, aliases[j], fuzz.ratio):
                    assert fuzz.ratio(a, aliases[j]) < FUZZY_THRESHOLD, (ids[i], ids[j])
                    compared += 1
    assert compared > 100  # (426 pairs of aliases of different indicators compete today)


def test_pins_come_first() -> None:
    pins = {key("Số cán bộ công chức"): "staff_total", key("Tổng số máy tính"): ""}
    matcher = Matcher(pins)
    assert matcher.match("SỐ CÁN BỘ CÔNG CHỨC:") == Match("staff_total", 100.0, "pinned")
    assert matcher.match("Tổng số máy tính") == Match("", 100.0, "pinned")  # pinned as not an indicator
    assert matcher.match("Số lượng máy in").indicator == "printers"  # everything else: the catalogue
    with pytest.raises(MappingError, match="unknown indicator id 'unicorns'"):
        Matcher({"Số máy": "unicorns"})


# --- mapping.csv ------------------------------------------------------------------------------

def _mapping(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "mapping.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_load_mapping(tmp_path: Path) -> None:
    path = _mapping(tmp_path, (
        "label,indicator,ghi chú\n"
        "Số cán bộ công chức:,staff_total,Hà Tĩnh A.9\n"
        "\n"
        '"Tổng số máy tính, máy chủ",,không phải chỉ số\n'
    ), encoding="utf-8-sig")  # as Excel saves it, with a BOM
    pins = load_mapping(path)
    assert pins == {key("Số cán bộ công chức"): "staff_total", key("Tổng số máy tính, máy chủ"): ""}
    assert Matcher(pins).match("Tổng số máy tính, máy chủ").method == "pinned"


def test_load_mapping_with_semicolons(tmp_path: Path) -> None:
    path = _mapping(tmp_path, "label;indicator\nSố lượng máy in;printers\n")
    assert load_mapping(path) == {key("Số lượng máy in"): "printers"}


@pytest.mark.parametrize(("text", "line", "message"), [
    ("label,indicator\nMáy in,printers\nMáy chủ,unicorns\n", 3, "unknown indicator 'unicorns'"),
    ("label,indicator\nMáy in,printers,extra\n", 2, "3 columns, the header has 2"),
    ("nhãn,chỉ số\nMáy in,printers\n", 1, "header row must name the columns label,indicator"),
    ("label,indicator\n,printers\n", 2, "empty label"),
    ("label,indicator\nMáy in,printers\nMÁY IN:,servers\n", 3, "already pinned to 'printers' on line 2"),
    ('label,indicator\n"Máy in,printers\n', 2, ""),  # an unterminated quote
])
def test_load_mapping_errors_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = _mapping(tmp_path, text)
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    assert str(info.value).startswith(f"{path}:{line}:")
    assert message in str(info.value)


def test_rapidfuzz_is_not_imported_for_the_cli() -> None:
    code = "import sys, egovcli.cli, egovcli.indicators; print('rapidfuzz' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# --- catalogue and derived indicators ---------------------------------------------------------

def test_catalogue_derivations() -> None:
    cat = catalogue()
    assert cat["computers_office"].derive == (Derivation("sum", ("desktops", "laptops")),)
    assert cat["staff_total"].derive[0] == Derivation("sum", ("staff_office", "staff_units"))
    level3 = Derivation("ratio", ("dvc_level3_count", "procedures_not_level4"))
    assert cat["dvc_level3_share"].derive == (level3,)
    order = derivation_order()
    for ind_id in order:  # every derived indicator comes after the derived ones it is computed from
        parts = {p for rule in cat[ind_id].derive for p in rule.parts}
        assert all(order.index(p) < order.index(ind_id) for p in parts if p in order), ind_id
    assert order.index("computers_office") < order.index("computers_total")
    # shares derived from the counts of the same scope (issue 3: 002 and 003 forms)
    assert cat["agencies_total"].derive == (Derivation("sum", ("subordinate_units", "communes")),)
    assert cat["computer_equipped_share_communes"].derive == (
        Derivation("ratio", ("staff_with_computers_communes", "staff_communes")),)
    assert cat["agencies_with_lan_share"].derive == (
        Derivation("ratio", ("agencies_with_lan", "agencies_total")),)
    assert order.index("agencies_with_lan") < order.index("agencies_with_lan_share")
    assert order.index("agencies_total") < order.index("agencies_with_lan_share")


def _catalogue_error(tmp_path: Path, derive: str, kind: str = "count") -> str:
    path = tmp_path / "catalogue.yaml"
    path.write_text(
        "indicators:\n"
        "  - {id: a, name: A, kind: count}\n"
        "  - {id: b, name: B, kind: count, derive: [{sum: [a, c]}]}\n"
        f"  - {{id: c, name: C, kind: {kind}, derive: [{derive}]}}\n"
        "  - {id: s, name: S, kind: fraction}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    return str(info.value)


@pytest.mark.parametrize(("derive", "kind", "message"), [
    ("{sum: [a, unicorns]}", "count", "unknown indicator 'unicorns'"),
    ("{sum: [a]}", "count", "needs at least 2 part(s)"),
    ("{ratio: [a, b]}", "count", "gives a fraction, but c is a count"),
    ("{difference: [a, s]}", "count", "'s' is a fraction"),
    ("{same_as: s}", "count", "'s' is a fraction"),
    ("{product: [a, b]}", "count", "one of sum, difference, ratio, same_as"),
    ("{sum: [a, b]}", "count", "derivation cycle: b → c → b"),
])
def test_catalogue_validation(tmp_path: Path, derive: str, kind: str, message: str) -> None:
    assert message in _catalogue_error(tmp_path, derive, kind)


def test_an_alias_names_one_indicator(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text("indicators:\n  - {id: a, name: Số máy in, kind: count}\n"
                    "  - {id: b, name: B, kind: count, aliases: ['Số lượng máy in:']}\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="alias 'Số lượng máy in:' of 'b' already names 'a'"):
        load_catalogue(path)


def _count(indicator: str, value: float, location: str) -> Input:
    return Input(indicator, value, text=str(value), label=indicator, source_file="f.docx", location=location)


def test_derived_sum_keeps_its_parts_and_sources() -> None:
    inputs = derive_inputs({"desktops": _count("desktops", 34, "B1"), "laptops": _count("laptops", 6, "B2")})
    office = inputs["computers_office"]
    assert (office.value, office.text, office.location) == (40, "34 + 6 = 40", "B1; B2")
    assert [p.indicator for p in office.parts] == ["desktops", "laptops"]
    assert office.label == catalogue()["computers_office"].name
    total = inputs["computers_total"]  # no units, no communes: the office alone (same_as)
    assert (total.value, total.parts) == (40, (office,))
    assert "staff_total" not in inputs  # nothing to derive it from


def test_derived_ratio_is_a_fraction_input() -> None:
    inputs = derive_inputs({"incoming_docs_digitised": _count("incoming_docs_digitised", 4356, "F3"),
                            "incoming_docs_total": _count("incoming_docs_total", 4356, "F5")})
    share = inputs["incoming_docs_online_share"]
    assert (share.value, share.denominator, share.ratio, share.text) == (4356, 4356, 1.0, "4356/4356")


def test_a_percentage_is_not_counted() -> None:
    share = Input("incoming_docs_digitised", 95, unit="%", text="95%")
    inputs = derive_inputs({"incoming_docs_digitised": share,
                            "incoming_docs_total": _count("incoming_docs_total", 4356, "F5")})
    assert "incoming_docs_online_share" not in inputs


def test_reported_values_win_over_derived_ones() -> None:
    reported = Input("computers_total", 50, text="50 chiếc", location="đoạn 31")
    inputs = derive_inputs({"computers_total": reported, "desktops": _count("desktops", 34, "B1"),
                            "laptops": _count("laptops", 6, "B2")})
    assert inputs["computers_total"] is reported


def test_district_shares_from_office_and_commune_counts() -> None:
    # 003 Tuyên Quang: 16 agencies under the city + 15 communes, all with a LAN; 002 II antivirus by scope
    inputs = derive_inputs({
        "subordinate_units": _count("subordinate_units", 16, "D11"),
        "communes": _count("communes", 15, "D12"),
        "agencies_with_lan_office": _count("agencies_with_lan_office", 16, "D26"),
        "communes_with_lan": _count("communes_with_lan", 15, "D28"),
        "antivirus_computers_office": _count("antivirus_computers_office", 100, "đoạn 20"),
        "antivirus_computers_communes": _count("antivirus_computers_communes", 250, "đoạn 21"),
    })
    share = inputs["agencies_with_lan_share"]
    assert (share.value, share.denominator, share.ratio) == (31, 31, 1.0)
    assert inputs["agencies_with_lan_share_office"].text == "16/16"
    antivirus = inputs["antivirus_computers"]
    assert (antivirus.value, antivirus.text) == (350, "100 + 250 = 350")
    assert "antivirus_share" not in inputs  # no computer count to divide by


def test_a_negative_difference_falls_through_to_the_next_rule() -> None:
    # more IT staff in the units than in total: not derivable, so only the certified count stands
    inputs = derive_inputs({"it_staff": _count("it_staff", 1, "A5"),
                            "units_it_staff": _count("units_it_staff", 2, "C9"),
                            "staff_it_certified": _count("staff_it_certified", 29, "C5")})
    office = inputs["it_staff_office"]  # kept with no value and why (issue 11.7: never a silent "no data")
    assert office.value is None and office.gap is not None and office.gap.flag == "inconsistent_figures"
    assert office.gap.item is not None and office.gap.item.text == "1 − 2 = -1"
    assert (inputs["staff_it_standard"].value, inputs["staff_it_standard"].text) == (29, "29")


def test_same_as_lets_one_answer_serve_two_indicators() -> None:
    answer = Input("accounting_asset_software", 1.0, text="Có",
                   label="Phần mềm kế toán và quản lý tài sản công")
    inputs = derive_inputs({"accounting_asset_software": answer})
    assert inputs["accounting_software"].value == inputs["asset_software"].value == 1.0
    assert inputs["asset_software"].parts == (answer,)
