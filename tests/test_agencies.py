"""Agency names: normalised display, matching keys, groups, and the agencies.csv registry."""

from pathlib import Path

import pytest

from egovcli.agencies import (
    AgencyRegistry,
    AgencyRegistryError,
    agency_key,
    display_name,
    infer_group,
    load_registry,
    name_from_path,
)

DEPARTMENT, DISTRICT = "department", "district"


@pytest.mark.parametrize(
    ("printed", "shown"),
    [
        ("SỞ XÂY DỰNG", "Sở Xây dựng"),
        ("sở xây dựng", "Sở Xây dựng"),
        ("SỞ TÀI CHÍNH TỈNH HÀ NAM", "Sở Tài chính tỉnh Hà Nam"),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
        ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
        ("UBND HUYỆN KIM BẢNG", "UBND huyện Kim Bảng"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ TUYÊN QUANG", "Ủy ban nhân dân thành phố Tuyên Quang"),
        ("UBND TP. PHỦ LÝ", "UBND TP. Phủ Lý"),
        ("UBND H. KIM BẢNG", "UBND H. Kim Bảng"),
        ("VĂN PHÒNG UBND TỈNH", "Văn phòng UBND tỉnh"),
        ("VĂN PHÒNG HĐND VÀ UBND HUYỆN KIM BẢNG", "Văn phòng HĐND và UBND huyện Kim Bảng"),
        ("THANH TRA TỈNH", "Thanh tra tỉnh"),
        ("TRUNG TÂM CNTT TỈNH HÀ NAM", "Trung tâm CNTT tỉnh Hà Nam"),
        ("BẢO HIỂM XÃ HỘI HUYỆN KIM BẢNG", "Bảo hiểm xã hội huyện Kim Bảng"),
        # abbreviations in a name printed in capitals keep their capitals
        ("SỞ GD&ĐT", "Sở GD&ĐT"),
        ("SỞ TT&TT", "Sở TT&TT"),
        ("SỞ KH&CN", "Sở KH&CN"),
        ("SỞ KH&ĐT TỈNH HÀ NAM", "Sở KH&ĐT tỉnh Hà Nam"),
        ("SỞ LĐ-TB&XH", "Sở LĐ-TB&XH"),
        ("SỞ VH-TT&DL", "Sở VH-TT&DL"),
        ("SỞ NN&PTNT", "Sở NN&PTNT"),
        ("SỞ TN&MT", "Sở TN&MT"),
        ("BAN QUẢN LÝ CÁC KCN", "Ban Quản lý các KCN"),
        ("sở gd&đt", "Sở GD&ĐT"),
        (" Sở Tư pháp. ", "Sở Tư pháp"),
        ("SXD", "SXD"),
    ],
)
def test_display_name(printed: str, shown: str) -> None:
    assert display_name(printed) == shown


@pytest.mark.parametrize(
    "printed",
    [
        "Sở GD&ĐT", "Sở TT&TT", "UBND huyện Kim Bảng", "Sở LĐ-TB&XH", "Sở VH-TT&DL tỉnh Hà Nam",
        "Sở NN&PTNT", "Sở TN&MT", "Sở KH&ĐT", "Sở KH&CN", "Trung tâm CNTT", "Sở xây dựng",
        "Ủy ban nhân dân thành phố Tuyên Quang", "UBND TP. Phủ Lý", "UBND TX. Duy Tiên",
        "Ban Quản lý các KCN",
    ],
)
def test_a_name_in_ordinary_case_is_shown_as_submitted(printed: str) -> None:
    """Only a name printed all in capitals (or all in lower case) is re-cased; matching is by key."""
    assert display_name(printed) == printed
    assert display_name(f"  {printed.replace(' ', '  ')}: ") == printed  # spaces and punctuation around


def test_abbreviated_levels_match_their_spelling_and_group() -> None:
    assert agency_key("UBND H. Kim Bảng") == agency_key("Ủy ban nhân dân huyện Kim Bảng")
    assert agency_key("UBND H. Kim Bảng") == "ubnd huyen kim bang"
    assert agency_key("UBND TX. Duy Tiên") == agency_key("UBND thị xã Duy Tiên")
    assert agency_key("TP. Phủ Lý") == agency_key("Thành phố Phủ Lý")
    assert [infer_group(n) for n in ("UBND H. Kim Bảng", "UBND TX. Duy Tiên", "TP. Phủ Lý")] == [DISTRICT] * 3


def test_keys_keep_the_words_that_tell_agencies_apart() -> None:
    """Two districts of one province, a province's committee and its districts, and the offices of
    the provincial party committee and youth union never share a key."""
    names = [
        "UBND huyện Kim Bảng", "UBND huyện Lý Nhân", "UBND thị xã Duy Tiên", "UBND thành phố Phủ Lý",
        "UBND tỉnh Hà Nam", "Văn phòng Tỉnh ủy", "Văn phòng Tỉnh đoàn", "Văn phòng UBND tỉnh Hà Nam",
        "Văn phòng HĐND và UBND huyện Kim Bảng",
    ]
    assert len({agency_key(n) for n in names}) == len(names)


def test_spellings_of_one_agency_share_a_key() -> None:
    spellings = [
        "Sở xây dựng",
        "Sở Xây dựng",
        "SỞ XÂY DỰNG",
        "Sở Xây dựng tỉnh Hà Tĩnh",
        "Sở Xây dựng, tỉnh Hà Tĩnh",
    ]
    assert {agency_key(s) for s in spellings} == {"so xay dung"}
    assert agency_key("UBND huyện Kim Bảng") == agency_key("Ủy ban nhân dân huyện Kim Bảng tỉnh Hà Nam")
    assert agency_key("UBND TP. Phủ Lý") == agency_key("UBND thành phố Phủ Lý")
    assert agency_key("Thanh tra tỉnh") == agency_key("Thanh tra tỉnh Hà Nam")
    assert agency_key("UBND tỉnh Hà Nam") != agency_key("UBND tỉnh Ninh Bình")  # nothing left but "UBND"


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("UBND huyện Kim Bảng", DISTRICT),
        ("UBND thị xã Duy Tiên", DISTRICT),
        ("Ủy ban nhân dân thành phố Tuyên Quang", DISTRICT),
        ("UBND TP. Phủ Lý", DISTRICT),
        ("UBND quận Ba Đình", DISTRICT),
        ("Huyện Thanh Liêm", DISTRICT),
        ("Sở Tài chính tỉnh Hà Nam", DEPARTMENT),
        ("Ban Quản lý các khu công nghiệp", DEPARTMENT),
        ("Văn phòng UBND tỉnh", DEPARTMENT),
        ("Văn phòng HĐND và UBND huyện Kim Bảng", DEPARTMENT),
        ("Thanh tra tỉnh", DEPARTMENT),
        ("Đài Phát thanh và Truyền hình", DEPARTMENT),
    ],
)
def test_infer_group(name: str, group: str) -> None:
    assert infer_group(name) == group


def _registry(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "agencies.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_registry_maps_every_spelling_to_one_agency(tmp_path: Path) -> None:
    path = _registry(
        tmp_path,
        "\ufeffid,name,group,aliases\n"
        "sxd,Sở Xây dựng,department,SXD;Sở Xây dựng tỉnh Hà Tĩnh\n"
        'kim-bang,UBND huyện Kim Bảng,,"Huyện Kim Bảng; KB"\n'
        "vp,Văn phòng Đoàn ĐBQH và HĐND tỉnh,district,\n",
    )
    registry = load_registry(path)
    assert len(registry) == 3
    for printed in ("Sở xây dựng", "SỞ XÂY DỰNG", "SXD", "Sở Xây dựng tỉnh Hà Tĩnh"):
        agency = registry.resolve(printed)
        assert (agency.name, agency.group, agency.key) == ("Sở Xây dựng", DEPARTMENT, "id:sxd")
    assert registry.resolve("KB").name == "UBND huyện Kim Bảng"
    assert registry.resolve("huyện kim bảng").group == DISTRICT  # blank group: inferred from the name
    assert registry.resolve("Văn phòng Đoàn ĐBQH và HĐND tỉnh").group == DISTRICT  # the registry decides
    unknown = registry.resolve("SỞ Y TẾ")
    assert (unknown.name, unknown.group, unknown.key) == ("Sở Y tế", DEPARTMENT, "so y te")
    assert registry.find("Sở Y tế") is None
    assert AgencyRegistry().resolve("SỞ XÂY DỰNG").key == "so xay dung"


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("ten,nhom\nsxd,Sở Xây dựng\n", ":1:", "id, name"),
        ("id,name\nsxd,Sở Xây dựng\nsxd,Sở Y tế\n", ":3:", "dòng 2"),
        ("id,name,group\nsxd,Sở Xây dựng,tỉnh\n", ":2:", "department, district, commune hoặc vertical"),
        ("id,name,aliases\nsxd,Sở Xây dựng,SXD\nsyt,Sở Y tế,sxd\n", ":3:", "trùng với cơ quan 'Sở Xây dựng'"),
        ("id,name\nsxd,Sở Xây dựng, tỉnh Hà Tĩnh\n", ":2:", "ngoặc kép"),
        ("id,name\n\nsxd,\n", ":3:", "thiếu name"),
        ("", ":1:", "thiếu cột"),
    ],
)
def test_malformed_registry_names_file_and_line(tmp_path: Path, text: str, where: str, what: str) -> None:
    path = _registry(tmp_path, text)
    with pytest.raises(AgencyRegistryError) as info:
        load_registry(path)
    assert f"{path}{where}" in str(info.value) and what in str(info.value)


def test_registry_not_utf8(tmp_path: Path) -> None:
    path = _registry(tmp_path, "id,name\nca,Công an\n", encoding="cp1258")  # Excel's "CSV" on Windows
    with pytest.raises(AgencyRegistryError, match=r"agencies\.csv:2: .*UTF-8"):
        load_registry(path)


@pytest.mark.parametrize(
    ("shown", "guess"),
    [
        ("so-y-te.docx", "so y te"),
        ("2022/so-y-te.docx", "so y te"),  # a round's folder holds many agencies' files
        ("2022/Báo_cáo  6 tháng.v2.xlsx", "Báo cáo 6 tháng.v2"),
        ("Sở Y tế/bao-cao.pdf", "Sở Y tế"),  # a folder written like an agency name is one agency's
        ("2022/UBND huyện Kim Bảng/bao-cao.pdf", "UBND huyện Kim Bảng"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ PHỦ LÝ/a.xlsx", "ỦY BAN NHÂN DÂN THÀNH PHỐ PHỦ LÝ"),
        ("Ban_Quản_lý_các_KCN/a.xlsx", "Ban Quản lý các KCN"),
        ("2025/Xã Tiên Tân/bao-cao.pdf", "Xã Tiên Tân"),  # issue 13: communes and ngành dọc units
        ("Phường Lê Hồng Phong/a.xlsx", "Phường Lê Hồng Phong"),
        ("Đặc khu Phú Quốc/a.docx", "Đặc khu Phú Quốc"),
        ("Thuế tỉnh Ninh Bình/a.xlsx", "Thuế tỉnh Ninh Bình"),
        ("Tòa án nhân dân tỉnh Hà Nam/a.xlsx", "Tòa án nhân dân tỉnh Hà Nam"),
        ("Xã hội hóa/a.xlsx", "a"),  # "xã hội" is no commune
        ("Số liệu/a.xlsx", "a"),  # "Số", not "Sở"
        ("so-lieu/a.xlsx", "a"),  # without accents a folder is not taken as an agency's
        ("Ban hành/a.xlsx", "a"),
        ("bad\\xff.docx", "bad\\xff"),  # an escaped byte, not a Windows separator
        ("x\\y/bad\\xff.docx", "bad\\xff"),
    ],
)
def test_name_from_path(shown: str, guess: str) -> None:
    assert name_from_path(shown) == guess


def test_name_from_path_with_a_registry(tmp_path: Path) -> None:
    csv = tmp_path / "agencies.csv"
    csv.write_text("id,name,group,aliases\nsxd,Sở Xây dựng,,SXD\nsyt,Sở Y tế,,so-y-te\n", encoding="utf-8")
    registry = load_registry(csv)
    assert name_from_path("sxd/bao-cao.xlsx", registry) == "sxd"  # a registered folder
    assert name_from_path("2022/bao-cao.xlsx", registry) == "bao cao"
    assert name_from_path("SXD/so-y-te.xlsx", registry) == "so y te"  # a registered file name first
