"""Seed 001 (Hòa Bình, QĐ 2631/QĐ-UBND of 27/12/2017, annex "2. Xếp hạng theo lĩnh vực") rebuilt as
published ranking tables: a ruled pdf, an unruled pdf, an xlsx and a docx with merged header cells.
The ruled pdf is the shipped sample samples/hoabinh-2017/qd-2631-2017.pdf (`make samples`); the
tests write every form.

Every cell is as printed in the seed, errors included (Sở Tư pháp's "9" in table 2.3 of the
departments, totals that do not add up, rows out of order, the missing "(5)" in table 2.2 of the
departments, header typos such as "Tng điểm"). Headers have two levels ("Điểm" over the criteria,
"Tổng điểm" / "Xếp hạng" spanning both), three in table 2.5 ("Cơ chế - Chính sách" under "Điểm").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass(frozen=True)
class Table:
    """One published table as printed: rows are "TT|Đơn vị|value value …" (criteria, total[, rank])."""

    title: str
    criteria: tuple[str, ...]
    numbers: tuple[str, ...]  # the "(1) (2) …" row; empty when not printed
    rows: tuple[str, ...]
    points: str = "Điểm"  # the header over the criteria
    total: str = "Tổng điểm"
    rank: bool = False  # a "Xếp hạng" column after the total
    group: str = ""  # a second header level over all criteria (table 2.5)

    @property
    def width(self) -> int:
        """TT, Đơn vị, the criteria, the total and the rank if printed."""
        return 2 + len(self.criteria) + 1 + self.rank

    def header(self) -> list[list[str]]:
        """Header rows (spanned cells blank), then the column-number row if printed."""
        blank = [""] * len(self.criteria)
        top = ["TT", "Đơn vị", self.points, *blank[1:], self.total, *(["Xếp hạng"] if self.rank else [])]
        tail = [""] * (1 + self.rank)
        rows = [top]
        if self.group:
            rows.append(["", "", self.group, *blank[1:], *tail])
        rows.append(["", "", *self.criteria, *tail])
        if self.numbers:
            rows.append(list(self.numbers))
        return rows

    def spans(self) -> list[tuple[int, int, int, int]]:
        """Merged header cells as (first row, first column, last row, last column), 0-based."""
        levels = 2 + bool(self.group)
        last = 2 + len(self.criteria) - 1
        spans = [(0, 0, levels - 1, 0), (0, 1, levels - 1, 1), (0, 2, 0, last)]
        spans += [(0, column, levels - 1, column) for column in range(last + 1, self.width)]
        if self.group:
            spans.append((1, 2, 1, last))
        return spans

    def body(self) -> list[list[str]]:
        """Data rows: TT, agency, then every value as printed."""
        return [[tt, name, *values.split()] for tt, name, values in (row.split("|") for row in self.rows)]

    def grid(self) -> list[list[str]]:
        return [*self.header(), *self.body()]


def _numbers(count: int) -> tuple[str, ...]:
    return tuple(f"({n})" for n in range(1, count + 1))


_INFRA = (
    "Tổng số máy tính/Tổng số CBCC của đơn vị",
    "Tổng số MT có kết nối mạng LAN/Tổng số máy tính của đơn vị",
    "Tổng số máy tính kết nối Internet/Tổng số máy tính của đơn vị",
    "Đơn vị có kết nối mạng số liệu chuyên dùng",
)
_STAFF = (
    "Cán bộ chuyên trách hoặc kiêm nhiệm về CNTT của đơn vị",
    "Tham gia các lớp (khóa) đào tạo nâng cao trình độ CNTT trong hoạt động CQNN của đơn vị",
    "Tỷ lệ CBCC của đơn vị thường xuyên sử dụng máy tính để xử lý công việc",
)
_SECURITY = (
    "Tỷ lệ máy tính trong CQNN của đơn vị có cài PM virus có bản quyền",
    "Tỷ lệ máy tính trong CQNN của đơn vị có cài PM virus miễn phí",
    "Các giải pháp an toàn thông tin",
    "Các giải pháp an toàn dữ liệu",
)

DEPARTMENTS = (
    Table(
        "2.1. HẠ TẦNG KỸ THUẬT CÔNG NGHỆ THÔNG TIN",
        _INFRA,
        _numbers(7),
        (
            "1|Văn phòng UBND tỉnh|5 4 4 4 17",
            "2|Sở Thông tin và Truyền thông|5 4 4 4 17",
            "3|Sở Tài chính|5 4 4 4 17",
            "4|Sở Công thương|5 4 4 0 13",
            "5|Ban Quản lý các KCN|5 4 4 0 13",
            "6|Sở Lao động, TB&XH|5 4 4 0 13",
            "7|Sở Nội vụ|5 4 4 0 13",
            "8|Sở Tư pháp|5 4 4 0 13",
            "9|Sở Giáo dục và Đào tạo|5 4 4 0 13",
            "10|Sở Giao thông Vận tải|5 4 4 0 13",
            "11|Ban Dân tộc|5 4 4 0 13",
            "12|Sở Tài nguyên và Môi trường|5 4 4 0 13",
            "13|Sở Y tế|5 4 4 0 13",
            "14|Sở xây dựng|5 4 4 0 13",
            "15|Sở Nông nghiệp và PTNT|5 4 4 0 13",
            "16|Sở Ngoại vụ|5 4 4 0 13",
            "17|Thanh tra tỉnh|5 4 4 0 13",
            "18|Sở Khoa học và Công nghệ|5 4 4 0 13",
            "19|Sở Kế hoạch - Đầu tư|5 4 4 0 13",
            "20|Sở Văn hóa, TT và DL|5 4 4 0 13",
        ),
    ),
    Table(
        "2.2. HẠ TẦNG NHÂN LỰC CÔNG NGHỆ THÔNG TIN",
        _STAFF,
        ("(1)", "(2)", "(3)", "(4)", "(6)", "(7)"),
        (
            "1|Văn phòng UBND tỉnh|3 3 3 9",
            "2|Sở Lao động, TB&XH|3 3 3 9",
            "3|Sở Thông tin và Truyền thông|3 3 3 9",
            "4|Sở Kế hoạch và Đầu tư|3 3 3 9",
            "5|Sở Nội vụ|3 3 3 9",
            "6|Sở Giao thông Vận tải|3 3 3 9",
            "7|Sở Y tế|3 3 3 9",
            "8|Sở Tư pháp|3 3 3 9",
            "9|Sở Văn hóa, TT và DL|3 3 3 9",
            "10|Sở Khoa học và Công nghệ|3 3 3 9",
            "11|Sở xây dựng|3 3 3 9",
            "12|Ban Quản lý các KCN|3 3 3 9",
            "13|Sở Nông nghiệp và PTNT|3 3 3 9",
            "14|Sở Giáo dục và Đào tạo|3 3 3 9",
            "15|Sở Tài nguyên và Môi trường|3 3 3 9",
            "16|Sở Công thương|3 3 3 9",
            "17|Thanh tra tỉnh|3 3 3 9",
            "18|Sở Ngoại vụ|3 3 3 9",
            "19|Ban Dân tộc|3 3 3 9",
            "20|Sở Tài chính|3 3 3 9",
        ),
    ),
    Table(
        "2.3. ỨNG DỤNG CÔNG NGHỆ THÔNG TIN",
        (
            "Triển khai phần mềm VPĐT trong CQNN của đơn vị",
            "Tỷ lệ phòng (ban) chuyên môn đã triển khai Phần mềm VPDDT",
            "Tỷ lệ văn bản được cập nhật vào phần mềm",
            "Tỷ lệ văn bn được phát hành qua Phần mềm",
            "Tỷ l văn bn được chuyn hoàn toàn trên MT mạng",
            "Triển khai PM một ca điện t",
            "Cơ quan, đơn vị đã thực hiện việc tiếp nhận, thụ lý và giải quyết",
            "Tỷ lệ TTHC được tiếp nhận và giải quyết trên PM",
            "Tlệ CBCC được cấp thư điện tử công vụ của tỉnh",
            "Tỷ lCBCC thường xuyên sử dụng thư điện t công vụ của tnh để trao đổi công việc",
            "Triển khai ứng dụng chữ ký số trong CQNN ca đơn vị",
            "Tỷ lệ văn bn được ký số",
            "Triển khai các ứng dụng cơ bản trong CQNN của đơn vị",
            "Triển khai ứng dụng các CSDL chuyên ngành",
            "Trang thông tin điện tử của đơn vị",
            "Trin khai dịch vụ hành chính công trực tuyến trên Trang",
        ),
        _numbers(19),
        (
            "1|Sở Nông nghiệp và PTNT|2 1 1 1 1 2 3 2 2 2 2 2 2 2 13 3 41.0",
            "2|Sở Khoa học và Công nghệ|2 1 1 1 1 2 3 2 2 2 2 2 2 2 13 3 41.0",
            "3|Sở Tài chính|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "4|Ban Quản lý các KCN|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "5|Sở xây dựng|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "6|Sở Y tế|2 1 1 1 1 2 3 2 2 2 2 0 2 2 12 3 38.0",
            "7|Sở Công thương|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "8|Sở Thông tin và Truyền thông|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "9|Văn phòng UBND tỉnh|2 1 1 1 1 2 3 2 2 2 2 0 2 2 12 3 38.0",
            "10|Sở Nội vụ|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "11|Sở Kế hoạch - Đầu tư|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "12|Ban Dân tộc|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "13|Sở Giao thông Vận tải|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "14|Sở Tài nguyên và Môi trường|2 1 1 1 1 2 3 2 2 2 0 0 2 2 13 3 37.0",
            "15|Sở Văn hóa, TT và DL|2 1 1 1 1 2 3 2 2 2 2 0 1.5 2 13 3 38.5",
            "16|Sở Lao động, TB&XH|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "17|Sở Tư pháp|2 1 1 1 1 2 3 2 9 2 2 0 0 2 12 3 36.0",
            "18|Sở Giáo dục và Đào tạo|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39.0",
            "19|Sở Ngoại vụ|2 1 1 1 1 2 3 2 2 2 2 0 1.5 2 13 3 38.5",
            "20|Thanh tra tỉnh|2 1 1 1 1 2 3 2 2 2 2 0 2 2 12 3 38.0",
        ),
        total="Tng điểm",
    ),
    Table(
        "2.4. CÔNG TÁC ĐẢM BẢO AN TOÀN, AN NINH THÔNG TIN",
        (*_SECURITY, "Tổ chức phổ biến các quy định PL về nội quy của CQ và ATANTT"),
        _numbers(8),
        (
            "1|Sở Giáo dục và Đào tạo|4 2 4 4 3 17",
            "2|Sở Tài chính|4 2 4 4 3 17",
            "3|Sở xây dựng|4 2 4 4 3 17",
            "4|Sở Nông nghiệp và PTNT|4 2 4 4 3 17",
            "5|Sở Ngoại vụ|4 2 4 4 3 17",
            "6|Sở Tư pháp|4 2 4 4 3 17",
            "7|Sở Nội vụ|4 2 4 4 3 17",
            "8|Ban Dân tộc|4 2 4 4 3 17",
            "9|Sở Thông tin và Truyền thông|4 2 4 4 3 17",
            "10|Văn phòng UBND tỉnh|4 2 4 4 3 17",
            "11|Sở Y tế|4 2 4 4 3 17",
            "12|Sở Công thương|4 2 4 4 3 17",
            "13|Sở Khoa học và Công nghệ|4 2 4 4 3 17",
            "14|Sở Tài nguyên và Môi trường|4 2 4 4 3 17",
            "15|Ban Quản lý các KCN|4 2 4 4 3 17",
            "16|Sở Giao thông Vận tải|4 2 4 4 3 17",
            "17|Sở Kế hoạch - Đầu tư|4 2 4 4 3 17",
            "18|Sở Văn hóa, TT và DL|4 2 4 4 3 17",
            "19|Sở Lao động, TB&XH|4 2 4 4 3 17",
            "20|Thanh tra tỉnh|4 2 4 4 3 17",
        ),
    ),
    Table(
        "2.5. MÔI TRƯỜNG TỔ CHỨC VÀ CHÍNH SÁCH",
        (
            "Có thành lập BCĐ/Bphận chuyên trách CNTT",
            "Ngân sách đu tư cho CNTT của đơn vị",
            "Kế hoạch phát triển và ứng dụng CNTT",
            "Cơ chế, chính sách riêng khuyến khích PT& UDCNTT",
            "Chương trình, kế hoạch CCHC có nội dung UDCNTT",
            "Quy định về trao đi, lưu trữ, xử lý văn bản điện tử trong nội bộ cơ quan",
            "Quy định về đm bảo an toàn, ANTT",
            "Quy định về chế độ đãi ngộ đối với cán bộ chuyên trách hoặc kiêm nhiệm về CNTT",
        ),
        _numbers(11),
        (
            "1|Sở xây dựng|2 2 2 2 2 2 2 2 16",
            "2|Ban Quản lý các KCN|2 2 2 2 2 2 2 2 16",
            "3|Sở Tư pháp|2 2 2 2 2 2 2 2 16",
            "4|Thanh tra tỉnh|2 2 2 2 2 2 2 1 15",
            "5|Sở Tài chính|2 2 2 2 2 0 2 2 14",
            "6|Sở Y tế|2 2 2 2 2 0 2 2 14",
            "7|Văn phòng UBND tỉnh|2 2 2 2 0 0 2 2 12",
            "8|Sở Kế hoạch - Đầu tư|2 0 2 2 2 2 2 2 14",
            "9|Sở Khoa học và Công nghệ|2 2 2 2 2 0 2 2 14",
            "10|Sở Nội vụ|2 2 2 2 2 0 2 2 14",
            "11|Sở Thông tin và Truyền thông|2 2 2 2 2 0 2 2 14",
            "12|Sở Giáo dục và Đào tạo|2 2 2 2 2 0 2 2 14",
            "13|Sở Nông nghiệp và PTNT|2 0 2 2 0 2 2 2 12",
            "14|Sở Công thương|2 0 2 2 2 0 2 2 12",
            "15|Sở Văn hóa, TT và DL|2 0 2 2 2 0 2 2 12",
            "16|Sở Ngoại vụ|2 0 2 2 2 0 2 2 12",
            "17|Sở Lao động, TB&XH|2 2 2 2 2 0 0 1 11",
            "18|Ban Dân tộc|2 0 2 2 2 0 2 1 11",
            "19|Sở Tài nguyên và Môi trường|2 0 2 2 0 0 2 2 10",
            "20|Sở Giao thông Vận tải|1 0 2 0 0 0 2 1 6",
        ),
        points="Đim",
        group="Cơ chế - Chính sách",
    ),
)

DISTRICTS = (
    Table(
        "1. Xếp hạng chung",
        (
            "Hạ tầng kỹ thuật CNTT",
            "Hạ tầng nhân lực CNTT",
            "ng dụng CNTT",
            "Công tác đảm bảo an toàn, an ninh thông tin",
            "Môi trường tổ chức và chính sách",
        ),
        (),
        (
            "1|UBND huyện Lạc Sơn|17.0 9.0 40.0 17.0 14.0 97.0 1",
            "2|UBND huyện Lạc Thủy|17.0 9.0 39.0 17.0 14.0 96.0 2",
            "3|UBND huyện Tân Lạc|17.0 9.0 38.5 17.0 14.0 95.5 3",
            "4|UBND huyện Kỳ Sơn|16.7 9.0 38.0 17.0 14.0 94.7 4",
            "5|UBND huyện Cao Phong|17.0 9.0 37.0 17.0 14.0 94.0 5",
            "6|UBND huyện Kim Bôi|17.0 9.0 35.0 17.0 14.0 92.0 6",
            "7|UBND thành phố Hòa Bình|16.0 9.0 37.0 17.0 12.0 91.0 7",
            "8|UBND huyện Lương Sơn|15.1 9.0 36.6 17.0 11.0 88.7 8",
            "9|UBND huyện Đà Bắc|14.9 9.0 35.0 17.0 12.0 87.9 9",
            "10|UBND huyện Mai Châu|17.0 9.0 33.8 17.0 10.0 86.8 10",
            "11|UBND huyện Yên Thủy|16.0 9.0 34.0 17.0 7.0 83.0 11",
        ),
        rank=True,
    ),
    Table(
        "2.1. HẠ TẦNG KỸ THUẬT CÔNG NGHỆ THÔNG TIN",
        ("Tổng số máy tính/Tổng số các CBCC", *_INFRA[1:]),
        _numbers(7),
        (
            "1|UBND huyện Cao Phong|5.0 4 4 4 17.0",
            "2|UBND huyện Lạc Sơn|5 4.0 4 4 17.0",
            "3|UBND huyện Tân Lạc|5 4.0 4 4 17.0",
            "4|UBND huyện Mai Châu|5 4.0 4 4 17.0",
            "5|UBND huyện Kim Bôi|5 4.0 4 4 17.0",
            "6|UBND huyện Lạc Thủy|5 4.0 4 4 17.0",
            "7|UBND huyện Kỳ Sơn|5 4.0 4 4 16.7",
            "8|UBND thành phố Hòa Bình|4.0 4 4 4 16.0",
            "9|UBND huyện Yên Thủy|4 4.0 4 4 16.0",
            "10|UBND huyện Lương Sơn|3.1 4 4 4 15.1",
            "11|UBND huyện Đà Bắc|3 4.0 4 4 14.9",
        ),
    ),
    Table(
        "2.2. HẠ TẦNG NHÂN LỰC CÔNG NGHỆ THÔNG TIN",
        _STAFF,
        _numbers(6),
        (
            "1|UBND huyện Tân Lạc|3 3 3 9",
            "2|UBND huyện Cao Phong|3 3 3 9",
            "3|UBND huyện Lạc Sơn|3 3 3 9",
            "4|UBND thành phố Hòa Bình|3 3 3 9",
            "5|UBND huyện Lạc Thủy|3 3 3 9",
            "6|UBND huyện Yên Thủy|3 3 3 9",
            "7|UBND huyện Kỳ Sơn|3 3 3 9",
            "8|UBND huyện Lương Sơn|3 3 3 9",
            "9|UBND huyện Kim Bôi|3 3 3 9",
            "10|UBND huyện Mai Châu|3 3 3 9",
            "11|UBND huyện Đà Bắc|3 3 3 9",
        ),
    ),
    Table(
        "2.3. ỨNG DỤNG CÔNG NGHỆ THÔNG TIN",
        (
            "Triển khai phần mềm VPĐT trong CQNN của đơn vị",
            "Tỷ lệ phòng (ban) chuyên môn đã triển khai Phần mềm VPDDT",
            "Tlệ văn bản được cập nhật vào phần mềm",
            "Tỷ lệ văn bn được phát hành qua Phần mềm",
            "Tỷ lệ văn bản được chuyển hoàn toàn trên MT mạng",
            "Triển khai PM một cửa điện tử",
            "Cơ quan, đơn vị đã thực hiện việc tiếp nhận, thụ lý và giải quyết",
            "Tỷ lệ TTHC được tiếp nhận và giải quyết trên PM",
            "Tlệ CBCC được cấp thư điện t công vụ của tnh",
            "Tỷ lệ CBCC thường xuyên sử dụng thư điện tử công vụ của tỉnh để trao đổi công việc",
            "Triển khai ứng dụng chữ ký số trong CQNN của đơn vị",
            "Tl văn bản được ký số",
            "Triển khai các ứng dụng cơ bản trong CQNN của đơn vị",
            "Triển khai ứng dụng các CSDL chuyên ngành",
            "Trang thông tin điện tử của đơn vị",
            "Triển khai dịch vụ hành chính công trc tuyến trên Trang",
        ),
        _numbers(19),
        (
            "1|UBND huyện Lạc Sơn|2 1 1 1 1 2 3 2 2 2 2 2 2 2 12 3 40",
            "2|UBND huyện Lạc Thủy|2 1 1 1 1 2 3 2 2 2 2 0 2 2 13 3 39",
            "3|UBND huyện Tân Lạc|2 1 1 1 1 2 3 1.5 2 2 2 0 2 2 13 3 38.5",
            "4|UBND huyện Kỳ Sơn|2 1 1 1 1 2 3 2 2 1 2 0 2 2 13 3 38",
            "5|UBND huyện Cao Phong|2 1 1 1 1 2 3 2 2 2 2 0 0 2 13 3 37",
            "6|UBND thành phố Hòa Bình|2 0.5 1 1 1 2 3 2 2 1.5 2 0 2 2 12 3 37",
            "7|UBND huyện Lương Sơn|2 1 1 1 1 2 3 2 0.6 2 2 0 2 2 12 3 36.6",
            "8|UBND huyện Đà Bắc|2 1 1 1 1 2 3 2 2 1 0 0 2 2 12 3 35",
            "9|UBND huyện Kim Bôi|2 0 1 1 0 2 3 2 2 1 0 2 2 2 12 3 35",
            "10|UBND huyện Yên Thủy|2 1 1 1 1 2 3 1 2 2 0 0 2 2 11 3 34",
            "11|UBND huyện Mai Châu|2 1 0.6 0 0.2 2 3 2 2 2 0 0 2 2 12 3 33.8",
        ),
        total="Tng điểm",
    ),
    Table(
        "2.4. CÔNG TÁC ĐẢM BẢO AN TOÀN, AN NINH THÔNG TIN",
        (*_SECURITY, "Tổ chức phổ biến các quy định PL về nội quy của CQ về ATANTT"),
        _numbers(8),
        (
            "1|UBND huyện Cao Phong|4 2 4 4 3 17",
            "2|UBND thành phố Hòa Bình|4 2 4 4 3 17",
            "3|UBND huyện Kỳ Sơn|4 2 4 4 3 17",
            "4|UBND huyện Tân Lạc|4 2 4 4 3 17",
            "5|UBND huyện Lạc Thủy|4 2 4 4 3 17",
            "6|UBND huyện Lương Sơn|4 2 4 4 3 17",
            "7|UBND huyện Lạc Sơn|4 2 4 4 3 17",
            "8|UBND huyện Yên Thủy|4 2 4 4 3 17",
            "9|UBND huyện Mai Châu|4 2 4 4 3 17",
            "10|UBND huyện Kim Bôi|4 2 4 4 3 17",
            "11|UBND huyện Đà Bắc|4 2 4 4 3 17",
        ),
    ),
    Table(
        "2.5. MÔI TRƯỜNG TỔ CHỨC VÀ CHÍNH SÁCH",
        (
            "Có thành lập BCĐ/Bộ phận chuyên trách CNTT",
            "Ngân sách đầu tư cho CNTT của đơn vị",
            "Kế hoạch phát triển và ứng dụng CNTT",
            "Cơ chế, chính sách riêng khuyến khích PT& UDCNTT",
            "Chương trình, kế hoạch CCHC có nội dung UDCNTT",
            "Quy định về trao đổi, lưu trữ, xử lý văn bản điện tử trong nội bộ cơ quan",
            "Quy định về đảm bảo an toàn, ANTT",
            "Quy định về chế độ đãi ngộ đối với cán bộ chuyên trách hoặc kiêm nhiệm về CNTT",
        ),
        _numbers(11),
        (
            "1|UBND huyện Lạc Thủy|2 2 2 2 2 0 2 2 14",
            "2|UBND huyện Cao Phong|2 2 2 2 2 0 2 2 14",
            "3|UBND huyện Tân Lạc|2 2 2 2 2 0 2 2 14",
            "4|UBND huyện Kỳ Sơn|2 2 2 2 2 0 2 2 14",
            "5|UBND huyện Lạc Sơn|2 2 2 2 2 0 2 2 14",
            "6|UBND huyện Kim Bôi|2 2 2 2 2 0 2 2 14",
            "7|UBND thành phố Hòa Bình|2 2 2 2 2 0 0 2 12",
            "8|UBND huyện Đà Bắc|2 0 2 2 2 0 2 2 12",
            "9|UBND huyện Lương Sơn|1 0 2 2 2 0 2 2 11",
            "10|UBND huyện Mai Châu|2 0 2 2 0 0 2 2 10",
            "11|UBND huyện Yên Thủy|1 0 2 0 2 0 0 2 7",
        ),
        group="chế - Chính sách",
    ),
)

LETTERHEAD = ("ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", "Số: 2631/QĐ-UBND", "Hòa Bình, ngày 27 tháng 12 năm 2017")
TITLE = (
    "KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN CỦA CÁC SỞ, BAN, NGÀNH, "
    "ỦY BAN NHÂN DÂN CÁC HUYỆN, THÀNH PHỐ NĂM 2017"
)
# Each group's part of the annex in reading order: headings (str) and tables.
DEPARTMENT_PART: tuple[str | Table, ...] = ("2. Xếp hạng theo lĩnh vực", *DEPARTMENTS)
DISTRICT_PART: tuple[str | Table, ...] = (
    "II. ỦY BAN NHÂN DÂN CÁC HUYỆN, THÀNH PHỐ",
    DISTRICTS[0],
    "2. Xếp hạng theo lĩnh vực",
    *DISTRICTS[1:],
)


# --- pdf --------------------------------------------------------------------------------------
def write_pdf(path: Path, ruled: bool, repeat_header: bool = True) -> None:
    """The annex on landscape A4 pages, page numbers at the top from page 2; `ruled` draws the
    grid, otherwise columns are only aligned (wrapped header text, top-aligned cells, no lines at
    all); `repeat_header` repeats a table's header rows on every page it runs onto."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    text = ParagraphStyle("text", fontName="DejaVu", fontSize=9, leading=12, spaceBefore=4)
    cell = ParagraphStyle("cell", fontName="DejaVu", fontSize=6.5, leading=8)
    centred = ParagraphStyle("centred", cell, alignment=1)
    story: list[object] = []
    for item in (*LETTERHEAD, TITLE, *DEPARTMENT_PART, *DISTRICT_PART):
        if isinstance(item, str):
            story.append(Paragraph(escape(item), text))
            continue
        header = item.header()
        criteria = 700 - 24 - 110 - 34 * (1 + item.rank)
        widths = [24, 110, *[criteria / len(item.criteria)] * len(item.criteria), *[34] * (1 + item.rank)]
        data = [[Paragraph(escape(value), centred) for value in row] for row in header]
        data += [
            [value if c != 1 else Paragraph(escape(value), cell) for c, value in enumerate(row)]
            for row in item.body()
        ]
        style = [
            ("FONT", (0, 0), (-1, -1), "DejaVu", 6.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (2, len(header)), (-1, -1), "CENTER"),
            *[("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in item.spans()],
        ]
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
        table = PdfTable(data, colWidths=widths, repeatRows=len(header) if repeat_header else 0)
        table.setStyle(TableStyle(style))
        story += [Paragraph(escape(item.title), text), table, Spacer(1, 6)]

    def page_number(canvas: Any, doc: Any) -> None:  # from page 2, centred at the top, as decisions do
        canvas.setFont("DejaVu", 9)
        canvas.drawCentredString(landscape(A4)[0] / 2, landscape(A4)[1] - 20, str(doc.page))

    title = "Quyết định 2631/QĐ-UBND: kết quả xếp hạng ứng dụng CNTT năm 2017"
    template = SimpleDocTemplate(str(path), pagesize=landscape(A4), topMargin=30, bottomMargin=30,
                                 invariant=1, title=title)
    template.build(story, onLaterPages=page_number)


# --- docx -------------------------------------------------------------------------------------
def write_docx(path: Path, split: str = "") -> None:
    """The decision as Word writes it: the letterhead in a borderless two-column table, headings as
    paragraphs outside the tables (an empty paragraph between some heading and its table), header
    cells merged as printed, values as typed. The table titled `split` is cut in two Word tables
    after its first two rows, the second without a header (as when a table is split at a page)."""
    import docx

    document = docx.Document()
    letterhead = document.add_table(rows=2, cols=2)
    for cell, text in zip(
        letterhead._cells,
        (
            "ỦY BAN NHÂN DÂN\nTỈNH HÒA BÌNH\n-------",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------",
            LETTERHEAD[1],
            LETTERHEAD[2],
        ),
        strict=True,
    ):
        cell.text = text
    document.add_paragraph(TITLE)
    for item in (*DEPARTMENT_PART, *DISTRICT_PART):
        if isinstance(item, str):
            document.add_paragraph(item)
            continue
        document.add_paragraph(item.title)
        if item is DEPARTMENTS[1]:
            document.add_paragraph("")
        grid = item.grid()
        if item.title == split:
            cut = len(item.header()) + 2
            _docx_table(document, grid[:cut], item.spans())
            document.add_paragraph("")
            _docx_table(document, grid[cut:], [])
        else:
            _docx_table(document, grid, item.spans())
    document.save(str(path))


def _docx_table(document: Any, rows: list[list[str]], spans: list[tuple[int, int, int, int]]) -> None:
    """A ruled table of `rows` with the cells of `spans` merged (the top-left cell's text kept)."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for r0, c0, r1, c1 in spans:
        text = rows[r0][c0]
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        merged.text = text


# --- xlsx -------------------------------------------------------------------------------------
def write_xlsx(path: Path) -> None:
    """One sheet per group ("Sở, ban, ngành", "Huyện, thành phố"), its tables one under the other
    with their headings; header cells merged as printed; numbers stored as numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    departments = workbook.active
    departments.title = "Sở, ban, ngành"
    districts = workbook.create_sheet("Huyện, thành phố")
    for sheet, items in ((departments, DEPARTMENT_PART), (districts, DISTRICT_PART)):
        for item in items:
            if isinstance(item, str):
                sheet.append([item])
                continue
            sheet.append([item.title])
            first = sheet.max_row + 1
            for row in item.grid():
                sheet.append([_number(value) for value in row])
            for r0, c0, r1, c1 in item.spans():
                sheet.merge_cells(
                    start_row=first + r0, start_column=c0 + 1, end_row=first + r1, end_column=c1 + 1
                )
            sheet.append([])
    workbook.save(path)


_LETTERHEAD_ROW = ("UBND TỈNH HÒA BÌNH", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
# The department tables one per sheet, each table's number only in the sheet's name or in one of
# the rows above its header: sheet name → (table, rows above the header).
PER_SHEET: dict[str, tuple[Table, tuple[tuple[str, ...], ...]]] = {
    "2.1": (DEPARTMENTS[0], ()),
    "Bảng 2.2": (DEPARTMENTS[1], (("HẠ TẦNG NHÂN LỰC CÔNG NGHỆ THÔNG TIN",),)),
    "Bieu 2.3": (DEPARTMENTS[2], (_LETTERHEAD_ROW, ("ỨNG DỤNG CÔNG NGHỆ THÔNG TIN",))),
    "ATTT": (DEPARTMENTS[3], (_LETTERHEAD_ROW, (DEPARTMENTS[3].title,), ("Đơn vị tính: điểm",))),
    "Chính sách": (DEPARTMENTS[4], ((DEPARTMENTS[4].title,),)),
}


def write_xlsx_per_sheet(path: Path) -> None:
    """`PER_SHEET` as a workbook: the rows above each header, then the table, merged as printed."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (table, above) in PER_SHEET.items():
        sheet = workbook.create_sheet(name)
        for row in above:
            sheet.append(list(row))
        for row in table.grid():
            sheet.append([_number(value) for value in row])
        first = len(above) + 1
        for r0, c0, r1, c1 in table.spans():
            sheet.merge_cells(
                start_row=first + r0, start_column=c0 + 1, end_row=first + r1, end_column=c1 + 1
            )
    workbook.save(path)


def _number(text: str) -> float | int | str | None:
    """A value cell as a number (TT and agency names stay text); "" as an empty cell."""
    if not text:
        return None
    try:
        return int(text) if text.isdigit() else float(text)
    except ValueError:
        return text
