"""Seed 000 (Hà Tĩnh, Sở Xây dựng, 6 tháng đầu năm 2020) scored under hanam-2022 from its raw data.

The form has no self-assessment at all: every point comes from its figures, mapped onto catalogue
indicators by `Matcher` and completed by derived indicators. Lines are identified as the seed numbers
them (section letter + row: B.1 is "Số lượng máy tính để bàn (PC) tại đơn vị"). Which lines feed
which criterion:

  I.1     (B.1 34 + B.2 6) + (B.12 27 + B.13 22) = 89 computers / (A.9 36 + A.11 17) = 53 staff → 100%
  I.6     B.9 2 scanners in working order
  II.1.1  F.2 36 / A.9 36          II.1.2  F.3 4356 / F.5 4356      II.1.3  F.4 1406 / F.6 1406
  II.1.4  F.7 4356 / F.5 4356      II.1.5  F.8 1406 / F.6 1406
  II.2.2  F.11 2316 / F.6 1406 (more signed than sent: 100%)
  II.3.1, II.3.2  F.13 34 / A.9 36 (the form counts CBCC "được cấp … và thường xuyên sử dụng")
  II.4.1  F.19 Có      II.4.2, II.4.3  F.18 Có (one line for both)      II.4.4  F.20 9 programs
  III.1.3 E.9 11 posts             III.1.12 D.7 Có
  III.2.2 E.22 23 / (A.13 38 − E.23 0)    III.2.3 E.23 0 / A.13 38    III.2.8.2 F.15 27 / F.17 909
          (III.2 is not exempt: E.22 23 + E.23 0 = 23 online services)
  IV.1    D.4 Có           IV.4  B.18 Có
  V.3     (C.5 29 + (A.5 3 − C.9 2)) / A.9 36

Not computable from this form (no line gives the figure): I.2 (no count of connected computers),
I.3.x, I.4, I.5, II.1.6.x, II.1.7 (E.6 counts schedules, not a share), II.2.1, III.2.4, III.2.5.x,
III.2.8.1, III.2.8.3, IV.2, IV.3, IV.5–IV.8, the categorical criteria of III.1, V.1, V.2 and VI; and
III.2.11: F.16 "792 (còn 117 HS đang giải quyết chưa đến hạn)" gives no number of resolved dossiers
(792/909 would count the 117 pending ones as late). I.3.4 and IV.6.x are not exempt (B.3: 2 servers).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from egovcli.indicators import Matcher
from egovcli.model import Observation, SourcedObservation
from egovcli.rules import load_rules
from egovcli.score.engine import collect_inputs, score_agency
from egovcli.score.model import MISSING_SELF_SCORE, AgencyScore
from egovcli.values import parse_value

AGENCY, GROUP, PERIOD, FILE = "Sở Xây dựng tỉnh Hà Tĩnh", "department", "2020", "000_so_xay_dung.docx"

# The seed's table (TT | Tên tiêu chí | Sở Xây dựng), every row as printed, by section.
SEED_000: dict[str, list[tuple[str, str]]] = {
    "A": [
        ("Tên đơn vị", "Sở Xây dựng"),
        ("Họ tên Giám đốc:", "Trần Xuân Tiến"),
        ("Họ tên Lãnh đạo phụ trách CNTT - CIO", "Phạm Văn Tình"),
        ("Số điện thoại và Email Lãnh đạo CIO", "0913312364, vantinh.sxd@hatinh.gov.vn"),
        ("Số cán bộ chuyên trách CNTT", "3"),
        ("Họ tên cán bộ chuyên trách CNTT 1:", "Nguyễn Hữu Trung"),
        ("Số điện thoại và Email cán bộ chuyên trách CNTT 1", "0948557568, nguyentrung.sxd@hatinh.gov.vn"),
        (
            "Danh sách cán bộ chuyên trách CNTT còn lại",
            "Nguyễn Mạnh Cường - Viện QHKT, Nguyễn Hữu Thọ - TTKĐ",
        ),
        ("Số cán bộ công chức:", "36"),
        ("Số đơn vị sự nghiệp trực thuộc", "2"),
        ("Tổng số CBCCVC tại các đơn vị sự nghiệp:", "17"),
        ("Địa chỉ Cổng TTĐT:", "https://soxaydung.hatinh.gov.vn"),
        ("Số TTHC:", "38"),
        ("Số phòng chuyên môn", "3"),
    ],
    "B": [
        ("Số lượng máy tính để bàn (PC) tại đơn vị:", "34"),
        ("Số lượng máy tính xách tay (laptop)", "6"),
        ("Số lượng máy chủ (Server)", "2"),
        ("Kết nối mạng truyền số liệu chuyên dùng", "Không"),
        ("Số đường kết nối Internet băng rộng FTTH - cáp quang", "1"),
        ("Số đường kết nối Internet riêng - Leased Line", "1"),
        ("Tổng băng thông kết nối Internet", "1"),
        ("Số lượng máy in", "31"),
        ("Số lượng máy Scan đang hoạt động", "2"),
        ("Số lượng máy Scan bị hỏng từ 1-3 tháng/năm", "0"),
        (
            "Số CSDL chuyên ngành đang sử dụng",
            "1. Phần mềm quản trị thông tin Quy hoạch Xây dựng và Quy hoạch Đô thị Việt Nam; 2. Phần mềm "
            "quản lý thi sát hạch cấp chứng chỉ hoạt động xây dựng cho cá nhân; 3. Phần mềm công khai năng "
            "lực hoạt động xây dựng của tổ chức, cá nhân; 4. Phần mềm báo cáo thống kê ngành Xây dựng; 5. "
            "Phần mềm báo cáo thông kê công tác quản lý VLXD.",
        ),
        ("Tổng số máy tính để bàn (PC) trong đơn vị sự nghiệp trực thuộc", "27"),
        ("Tổng số máy tính xách tay (laptop) tại các đơn vị sự nghiệp trực thuộc", "22"),
        ("Số đơn vị sự nghiệp trực thuộc có sử dụng máy Scan (Đang hoạt động tốt)", "2"),
        ("Tổng số đơn vị sự nghiệp trực thuộc có mạng LAN và kết nối Internet băng rộng", "2"),
        (
            "Màn hình cỡ lớn (≥ 50 inch) hoặc bảng LED điện tử hiển thị công khai lịch công tác hàng ngày, "
            "tuần của Lãnh đạo",
            "Có: 02 Màn hình Samsung TV Led 55 inch, Full HD, Smart TV (Phục vụ công tác chỉ đạo điều hành "
            "và hiển thị lịch công tác hàng ngày, tuần của cơ quan).",
        ),
        (
            "Hệ thống Camera giám sát an ninh",
            "Có: Hệ thống camera Dahua 2.0 (Hệ thống camera giám sát an ninh của cơ quan gồm 8 mắt phục "
            "công tác giám sát an ninh trong, ngoài trụ sở và bảo vệ tài sản trong cơ quan).",
        ),
        ("Hệ thống tường lửa/ giám sát truy nhập trái phép, bảo vệ an toàn mạng LAN", "Có"),
        ("Phòng họp trực tuyến", "Không"),
        ("Số đơn vị sự nghiệp trực thuộc có CSDL quản lý chuyên ngành", "2"),
    ],
    "C": [
        ("Số cán bộ chuyên trách CNTT có trình độ thạc sỹ trở lên về chuyên ngành CNTT", ""),
        ("Số cán bộ chuyên trách CNTT có trình độ đại học chuyên ngành CNTT", "1"),
        ("Số cán bộ chuyên trách CNTT được hưởng chính sách theo Nghị quyết 93/2014/NQ-HĐND của tỉnh", ""),
        (
            "số cán bộ chuyên trách CNTT có một trong số chứng chỉ nghiệp vụ lập, quản lý, giám sát DA "
            "CNTT theo NĐ 102/2009/NĐ-CP",
            "",
        ),
        (
            "Số cán bộ công chức đã qua đào tạo và cấp chứng chỉ theo thông tư số 03 /2014/TT-BTTTT trở "
            "lên (không tính CB CTr CNTT)",
            "29",
        ),
        ("Số lượt tập huấn chuyên sâu cho cán bộ chuyên trách CNTT trong năm", ""),
        ("Số lượt tập huấn nâng cao kỹ năng ứng dụng CNTT cho cán bộ công chức trong năm", ""),
        ("Số đơn vị sự nghiệp trực thuộc có cán bộ chuyên trách CNTT", "2"),
        ("Tổng số cán bộ chuyên trách CNTT tại đơn vị sự nghiệp trực thuộc", "2"),
        (
            "Tổng số cán bộ chuyên trách CNTT tại các đơn vị sự nghiệp trực thuộc có trình độ đại học trở "
            "lên về CNTT",
            "",
        ),
        ("Tổng số CBCCVC tại các đơn vị trực thuộc thành thạo kỹ năng sử dụng máy tính", "17"),
        ("Số lượt tập huấn chuyên sâu cho cán bộ chuyên trách CNTT tại các đơn vị sự nghiệp", ""),
        ("Tổng số lượt tập huấn kỹ năng CNTT cho CBCCVC tại các đơn vị sự nghiệp trong năm", ""),
    ],
    "D": [
        (
            "Quyết định bổ nhiệm/ phân công Lãnh đạo phụ trách CNTT-CIO",
            "Có (Quyết định số 109/QĐ-SXD ngày 19/11/2018.)",
        ),
        (
            "Quyết định bổ nhiệm/ phân công cán bộ làm nhiệm vụ chuyên trách CNTT",
            "Có (Quyết định số 96/QĐ-SXD ngày 30/10/2018.)",
        ),
        (
            "Ban hành kế hoạch CNTT năm",
            "Có (Kế hoạch số 2706/KH-SXD ngày 30/10/2019 Kế hoạch ứng dụng CNTT trong hoạt động cơ quan Sở "
            "Xây dựng năm 2020)",
        ),
        (
            "Ban hành văn bản quy định về tổ chức ứng dụng các hệ thống thông tin và bảo đảm an toàn an "
            "ninh thông tin nội bộ; quy định về gửi nhận văn bản điện tử, ứng dụng chữ ký số",
            "Có (Quyết định số 65/QĐ-SXD ngày 16/8/2018 Quy chế nội bộ về ứng dụng công nghệ thông tin, "
            "đảm bảo ATTT trong hoạt động chỉ đạo và điều hành của cơ quan Sở Xây dựng)",
        ),
        (
            "Ban hành Quy chế hoạt động của Ban Biên tập Cổng/Trang TTĐT, quy định về quản lý, vận hành và "
            "cung cấp thông tin trên Cổng/ trang TTĐT",
            "Có (Quyết định số 18/QĐ-SXD ngày 05/02/2016 ban hành Quy chế của Ban Biên tập website Sở Xây "
            "dựng)",
        ),
        (
            "Ban hành kế hoạch/ văn bản chỉ đạo tuyên truyền, phổ biến, quán triệt văn bản Trung ương và "
            "của tỉnh về chính sách và thành quả ứng dụng, phát triển CNTT",
            "Có (Kế hoạch số 469/KH-SXD ngày 20/4/2016; Kế hoạch số 379/KH-SXD 13/3/2017; Kế hoạch số "
            "950/KH-SXD ngày 07/5/2019).",
        ),
        (
            "Chi trả chế độ nhuận bút cho cán bộ viết bài trên Cổng / trang TTĐT",
            "Có (Quyết định số 08/QĐ-SXD ngày 06/02/2020; Quyết định số 90/QĐ-SXD ngày 27/10/2017).",
        ),
        (
            "Thực hiện chi trả đầy đủ chế độ đặc thù cho cán bộ chuyên trách CNTT theo NQ 93/2014/NQ-HĐND "
            "và QĐ 60/2014/QĐ-UBND",
            "",
        ),
        ("Báo cáo kết quả tổ chức ứng dụng CNTT 6 tháng", "1"),
        ("Báo cáo kết quả tổ chức ứng dụng CNTT cuối năm", "1"),
        ("Tổng kinh phí chi cho CNTT trong năm (Triệu đồng)", "87"),
    ],
    "E": [
        ("Cổng/ Trang thông tin điện tử", "Có (https://soxaydung.hatinh.gov.vn)"),
        ("Thông tin về lịch sử phát triển, truyền thống văn hóa của đơn vị", "Có"),
        ("Thông tin về cơ cấu tổ chức, chức năng nhiệm vụ và quyền hạn của tổ chức, đơn vị trực thuộc", "Có"),
        ("Thông tin về lãnh đạo trong cơ quan và lãnh đạo các đơn vị trực thuộc", "Có"),
        ("Thông tin giao dịch chính thức", "Có (CÔNG THÔNG TIN ĐIỆN TỬ SỞ XÂY DỰNG TỈNH HÀ TĨNH)"),
        ("Số lượng Kế hoạch/ lịch công tác hàng tháng", "250 (lịch công tác trong 6 tháng)"),
        (
            "Số Ý kiến chỉ đạo, điều hành của Lãnh đạo (VB, BB họp hoặc mệnh lệnh) hàng tháng",
            "174 (ý kiến chỉ đạo, điều hành trên phần mềm văn bản chỉ đạo điều hành và HSCV)",
        ),
        ("Thông tin về khen thưởng, xử phạt đối với các tổ chức, cá nhân và doanh nghiệp trên địa bàn", "Có"),
        ("Số bài tuyên truyền, phổ biến, hướng dẫn việc thực hiện pháp luật nói chung", "11"),
        ("Số bài tuyên truyền về chế độ, chính sách lao động", "7"),
        ("Số bài tuyên truyền về VB QPPL, chính sách mới thuộc ngành", "10"),
        (
            "Số bài tuyên truyền về an toàn vệ sinh thực phẩm/ trật tự đô thị/ an ninh thông tin/ khoa học "
            "công nghệ mới/ an toàn giao thông/ dịch bệnh/ mùa vụ/ sản xuất kinh doanh/phát triển đô "
            "thị/chính sách dân số/quản lý CCVC/an toàn giao thông/phát triển văn hóa, nghệ thuật, du "
            "lịch/hoạt động ngoại giao, đối ngoại/...(theo từng ngành)",
            "6",
        ),
        ("Số bài tuyên truyền về chiến lược, định hướng, quy hoạch, kế hoạch phát triển", "9"),
        ("Số bài tuyên truyền về chính sách, ưu đãi, cơ hội đầu tư", "5"),
        (
            "Thông tin Quy hoạch/ chiến lược/ kế hoạch phát triển KTXH dài hạn của địa phương, kế hoạch sử "
            "dụng đất",
            "Có",
        ),
        ("Chính sách ưu đãi, mời thầu", "Có"),
        ("Danh sách VB QPPL (Số ký hiệu, trích yếu, ngày ban hành, cơ quan ban hành, file đính kèm)", "Có"),
        ("Liên kết CSDL văn bản QPPL cấp tỉnh và trung ương", "Có"),
        ("Danh mục dự án đang đầu tư và đã hoàn thành đưa vào sử dụng trong năm", "Không"),
        ("Danh mục dự án chuẩn bị đầu tư, đang mời gọi đầu tư", "Có"),
        ("Số lượng DVC TT mức độ 1 và 2", "38"),
        ("Số lượng DVC TT mức độ 3", "23"),
        ("Số lượng DVC TT mức độ 4", "0"),
        (
            "Thông tin về sáng kiến kinh nghiệm, chương trình, đề tài khoa học hàng năm (mã số, Tên, cấp "
            "quản lý, đơn vị chủ trì, thời gian thực hiện,..)",
            "Có",
        ),
        (
            "Kết quả các chương trình, đề tài sau khi nghiệm thu và đưa vào ứng dụng (báo cáo tổng hợp, "
            "kết quả áp dụng)",
            "Có",
        ),
        ("Báo cáo chỉ tiêu ngành hàng quý", "12"),
        ("Báo cáo ngành cuối năm", "Có"),
        ("Chuyên mục Ý kiến góp ý/ Hỏi đáp", "Có"),
        ("Chức năng hỗ trợ người khuyết tật tiếp cận thông tin", "Có"),
    ],
    "F": [
        ("Ứng dụng phần mềm Hệ thống Quản lý Văn bản và Điều hành", "Có (https://hscvsxd.hatinh.gov.vn)"),
        ("Số cán bộ công chức được cấp phát tài khoản và sử dụng thường xuyên phần mềm QLVB&ĐH", "36"),
        ("Số văn bản đến được số hóa và quản lý trong Hệ thống QLVB&ĐH", "4356"),
        ("Số văn bản đi được số hóa và quản lý trong Hệ thống QLVB&ĐH", "1406"),
        ("Tổng số văn bản đến trong năm", "4356"),
        ("Tổng số văn bản đi trong năm", "1406"),
        ("Số văn bản đến được Lãnh đạo duyệt và chỉ đạo trực tuyến trên Hệ thống QLVB&ĐH", "4356"),
        ("Số văn bản đi được Lãnh đạo xét duyệt trong Hệ thống QLVB&ĐH", "1406"),
        ("Số đơn vị sự nghiệp trực thuộc sử dụng Hệ thống QLVB&ĐH", "2"),
        (
            "Số cán bộ viên chức tại các đơn vị sự nghiệp trực thuộc được cấp phát tài khoản sử dụng Hệ "
            "thống QLVB&ĐH",
            "19",
        ),
        ("Số văn bản đi được ký số bằng chữ ký số cơ quan và gửi đi trên môi trường mạng", "2316"),
        ("Số đơn vị sự nghiệp trực thuộc được cấp phát và sử dụng chữ ký số", "2"),
        (
            "Số cán bộ công chức được cấp hộp thư điện tử chuyên dùng của cơ quan nhà nước và thường xuyên "
            "sử dụng vào mục đích công vụ",
            "34",
        ),
        ("Số hồ sơ TTHC quản lý trong phần mềm một cửa", "909"),
        ("Số hồ sơ được tiếp nhận qua dịch vụ Bưu điện", "27"),
        ("Số hồ sơ được tiếp nhận và giải quyết đúng hạn", "792 (còn 117 HS đang giải quyết chưa đến hạn)."),
        ("Tổng số hồ sơ TTHC tiếp nhận có thời hạn thụ lý trong năm", "909"),
        ("Phần mềm kế toán và quản lý tài sản công", "Có"),
        ("Phần mềm quản lý cán bộ công chức", "Có"),
        ("Số phần mềm quản lý nghiệp vụ chuyên ngành", "9"),
        (
            "Danh sách phần mềm quản lý nghiệp vụ chuyên ngành",
            "1. Phần mềm quản lý thi sát hạch cấp chứng chỉ hành nghề cho cá nhân; 2. Phần mềm công khai "
            "năng lực hoạt động xây dựng của tổ chức, cá nhân; 3. Phần mềm quản lý kế toán; 4. Phần mềm kê "
            "khai thuế; 5. Phần mềm tính dự toán công trình. 6. Phần mềm báo cáo thống kê ngành Xây dựng. "
            "7. Phần mềm chạy kết cấu công trình. 8. Phần mềm thiết kế công trình: Autocad, 3Dmax...; 9. "
            "Phần mềm báo cáo thông kê công tác quản lý VLXD.",
        ),
    ],
    "G": [
        ("Số hồ sơ nộp trực tuyến mức độ 3", "78"),
        ("Số hồ sơ nộp trực tuyến mức độ 4", "0"),
        ("Số ý kiến của các tổ chức, cá nhân được trả lời trên Cổng, Trang TTĐT", "1"),
        ("Số hồ sơ tiếp nhận qua DVC TT mức độ 3 và 4 trả đúng hạn", "78"),
        ("Tổng số ý kiến phản ánh của các tổ chức, cá nhân gửi đến bằng mọi hình thức", "0"),
    ],
    "H": [
        (
            "Ứng dụng mẫu biểu điện tử dùng chung",
            "Có (2281_QD_cong_bo_Danh_muc_va_Quy_trinh_noi_b o_TTHC_So_Xay_dung.docx)",
        ),
        (
            "Ứng dụng quản lý người dùng và đăng nhập một lần cho tất cả các phần mềm ứng dụng (1 cửa, DVC "
            "TT, QLHSCV&ĐHTN, email, dữ liệu VBQPPL và các ứng dụng chuyên ngành khác....)",
            "Có (Tài khoản và mật khẩu đăng nhập; Khóa và chữ ký số)",
        ),
        ("hồ sơ nộp qua DVC trực tuyến mức độ 3 và 4 liên thông từ cấp huyện", "0"),
    ],
}

# The lines that feed hanam-2022 criteria, and the indicator each must map to.
FEEDING = {
    "A.5": "it_staff", "A.9": "staff_office", "A.11": "staff_units", "A.13": "procedures_total",
    "B.1": "desktops", "B.2": "laptops", "B.3": "servers", "B.9": "scanners", "B.12": "units_desktops",
    "B.13": "units_laptops", "B.18": "firewalls",
    "C.5": "staff_it_certified", "C.9": "units_it_staff",
    "D.4": "security_policy", "D.7": "portal_royalties",
    "E.9": "portal_outreach_posts", "E.22": "dvc_level3_count", "E.23": "dvc_level4_count",
    "F.2": "edms_users", "F.3": "incoming_docs_digitised", "F.4": "outgoing_docs_digitised",
    "F.5": "incoming_docs_total", "F.6": "outgoing_docs_total", "F.7": "incoming_docs_directed",
    "F.8": "outgoing_docs_drafted", "F.11": "outgoing_docs_signed", "F.13": "email_active_users",
    "F.15": "bcci_received", "F.16": "dossiers_on_time", "F.17": "dossiers_total",
    "F.18": "accounting_asset_software", "F.19": "hr_software", "F.20": "specialised_software",
}

# Criterion → points computed from the data.
EXPECTED = {
    "I.1": 10, "I.6": 5,
    "II.1.1": 5, "II.1.2": 15, "II.1.3": 15, "II.1.4": 10, "II.1.5": 10, "II.2.2": 25,
    "II.3.1": 9.44, "II.3.2": 9.44, "II.4.1": 4, "II.4.2": 4, "II.4.3": 4, "II.4.4": 8,
    "III.1.3": 3, "III.1.12": 3, "III.2.2": 3.03, "III.2.3": 0, "III.2.8.2": 0,
    "IV.1": 3, "IV.4": 5,
    "V.3": 16.67,
}


def _rows() -> list[tuple[str, str, str, int]]:
    """(line id, label, raw value, table row) in table order; row 1 is the header, each section's
    heading row ("II | B- Về cơ sở hạ tầng thông tin") comes before its lines."""
    rows, table_row = [], 1
    for section, lines in SEED_000.items():
        table_row += 1
        for number, (label, raw) in enumerate(lines, 1):
            table_row += 1
            rows.append((f"{section}.{number}", label, raw, table_row))
    return rows


def _where(line: str) -> str:
    return next(f"bảng 1, dòng {row}, cột 3" for ident, _, _, row in _rows() if ident == line)


def seed_000_observations(matcher: Matcher) -> list[SourcedObservation]:
    out = []
    for _, label, raw, row in _rows():
        parsed = parse_value(raw)
        indicator = matcher.match(label).indicator
        observation = Observation(label, raw, parsed.value, "data", parsed.unit, indicator,
                                  denominator=parsed.denominator, location=f"bảng 1, dòng {row}, cột 3")
        out.append(SourcedObservation(AGENCY, GROUP, PERIOD, FILE, observation))
    return out


@pytest.fixture(scope="module")
def observations() -> list[SourcedObservation]:
    return seed_000_observations(Matcher())


@pytest.fixture(scope="module")
def result(observations: list[SourcedObservation]) -> AgencyScore:
    return score_agency(load_rules("hanam-2022"), AGENCY, GROUP, PERIOD, observations)


def row(result: AgencyScore, criterion: str):
    return next(r for r in result.rows if r.criterion == criterion)


def test_the_feeding_lines_map_to_their_indicators(observations: list[SourcedObservation]) -> None:
    mapped = {ident: so.obs.indicator for (ident, *_), so in zip(_rows(), observations, strict=True)}
    assert {line: mapped[line] for line in FEEDING} == FEEDING
    # no two lines claim the same indicator (a false positive would show up as a duplicate)
    taken = [ind for ind in mapped.values() if ind]
    assert len(taken) == len(set(taken))
    assert mapped["F.21"] == mapped["A.8"] == ""  # lists of names, not counts


def test_seed_000_scores_from_data_alone(result: AgencyScore) -> None:
    data = {r.criterion: r.points for r in result.criteria if r.basis == "data"}
    assert data == pytest.approx(EXPECTED)
    others = [r for r in result.criteria if r.criterion not in EXPECTED]
    assert {(r.basis, r.points) for r in others} == {("missing", 0)}
    assert all(r.flags == [MISSING_SELF_SCORE] for r in result.criteria)  # no self-assessment at all
    assert result.total == pytest.approx(sum(EXPECTED.values()))  # 167.58
    assert result.section_points() == pytest.approx(
        {"I": 15, "II": 118.88, "III": 9.03, "IV": 8, "V": 16.67, "VI": 0})


def test_i_1_explains_the_derived_totals_down_to_each_cell(result: AgencyScore) -> None:
    i1 = row(result, "I.1")
    assert i1.explanation.startswith("89/53 máy tính/CBCCVC = 167,92% (tính 100%) × 10 = 10. Nguồn: ")
    assert "Tổng số máy tính được trang bị = 40 + 49 = 89" in i1.explanation
    assert "Số máy tính tại cơ quan (khối văn phòng) = 34 + 6 = 40" in i1.explanation
    assert f"Số lượng máy tính để bàn (PC) tại đơn vị: = 34 ({FILE}, {_where('B.1')})" in i1.explanation
    assert "Tổng số cán bộ, công chức, viên chức, người lao động = 36 + 17 = 53" in i1.explanation
    assert f"Số cán bộ công chức: = 36 ({FILE}, {_where('A.9')})" in i1.explanation
    assert i1.source_file == FILE
    assert i1.location.split("; ") == [_where(line) for line in ("B.1", "B.2", "B.12", "B.13", "A.9", "A.11")]


def test_ratios_name_their_inputs_and_bands(result: AgencyScore) -> None:
    ii12 = row(result, "II.1.2")
    assert ii12.explanation.startswith("4356/4356 = 100% → ≥ 90%: điểm tối đa 15")
    assert "Số văn bản đến được số hóa và quản lý trong Hệ thống QLVB&ĐH = 4356" in ii12.explanation
    assert "Tổng số văn bản đến trong năm = 4356" in ii12.explanation
    ii22 = row(result, "II.2.2")  # more documents signed than sent: counted as 100%
    assert ii22.explanation.startswith("2316/1406 = 164,72% (tính 100%) → ≥ 90%: điểm tối đa 25")
    ii31 = row(result, "II.3.1")
    assert ii31.explanation.startswith("34/36 = 94,44% × 10 = 9,44")
    assert ii31.location == f"{_where('F.13')}; {_where('A.9')}"
    iii22 = row(result, "III.2.2")
    assert iii22.explanation.startswith("23/38 = 60,53% → < 70%: 60,53% × 5 = 3,03")
    assert "38 − 0 = 38" in iii22.explanation and "không thuộc trường hợp miễn" in iii22.explanation
    assert row(result, "III.2.8.2").explanation.startswith("27/909 = 2,97% → < 10%: 0 điểm")


def test_v_3_adds_the_offices_own_it_staff(result: AgencyScore) -> None:
    v3 = row(result, "V.3")
    assert v3.explanation.startswith("30/36 = 83,33% × 20 = 16,67")
    assert "= 29 + 1 = 30" in v3.explanation and "= 3 − 2 = 1" in v3.explanation
    assert _where("C.5") in v3.location and _where("C.9") in v3.location


def test_yes_no_lines_and_one_line_for_two_programs(result: AgencyScore) -> None:
    assert row(result, "IV.1").explanation.startswith("Có (Quyết định số 65/QĐ-SXD")
    for criterion in ("II.4.2", "II.4.3"):
        assert row(result, criterion).location == _where("F.18")
        assert "Phần mềm kế toán và quản lý tài sản công = Có" in row(result, criterion).explanation


def test_what_the_form_cannot_support_stays_missing(result: AgencyScore,
                                                    observations: list[SourcedObservation]) -> None:
    inputs = collect_inputs(observations)
    assert inputs["dossiers_on_time"].value == 792 and "dossiers_on_time_share" not in inputs
    assert row(result, "III.2.11").basis == "missing"  # 792/909 would count 117 pending dossiers as late
    assert "computers_networked" not in inputs and row(result, "I.2").basis == "missing"
    assert inputs["servers"].value == 2 and row(result, "I.3.4").basis == "missing"  # not exempt
    assert inputs["dvc_online"].value == 23  # so III.2 is not exempt either


def test_a_table_with_one_column_per_year_counts_the_reports_own_year(tmp_path: Path) -> None:
    """Bình Định's budget table prints "Năm 2018 | Năm 2019"; the 2019 report's inputs are the 2019
    column, whichever column comes first, and a year-less value still counts."""
    import shapes

    from egovcli.indicators import Matcher
    from egovcli.ingest import extract_file

    path = tmp_path / "so-tu-phap.docx"
    shapes.binh_dinh_department_docx(path)
    extracted = extract_file(path)
    for obs in extracted.observations:
        obs.indicator = obs.indicator or Matcher().match(obs.label).indicator

    def inputs(period: str, reverse: bool = False) -> dict[str, float | None]:
        rows = [SourcedObservation("Sở Tư pháp", "department", period, path.name, o)
                for o in extracted.observations]
        found = collect_inputs(rows[::-1] if reverse else rows)
        return {k: found[k].value for k in ("it_budget", "it_budget_hardware", "it_budget_services")}

    assert inputs("2019") == {"it_budget": 420, "it_budget_hardware": 250, "it_budget_services": 25}
    assert inputs("2019", reverse=True) == inputs("2019")
    assert inputs("2018") == {"it_budget": 350, "it_budget_hardware": 200, "it_budget_services": 30}
    assert inputs("2020")["it_budget"] == 350  # neither column: the first one read, as before
