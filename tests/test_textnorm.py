import unicodedata

from egovcli.agencies import display_name, infer_group, name_from_path
from egovcli.indicators import Matcher, catalogue
from egovcli.textnorm import fold, key, nfc

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
