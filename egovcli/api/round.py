"""A new round's folder (`egov init`): the settings file egov.toml, whose keys are option defaults
(read by the CLI, `egovcli.cli.config`), an empty agency registry and the folders it names."""

from __future__ import annotations

from pathlib import Path

from egovcli import SETTINGS_FILE
from egovcli.problems import UsageError

_TEMPLATE = """\
# egov — cấu hình đợt đánh giá, xếp hạng ({title})
# Mỗi khoá là giá trị mặc định của một tùy chọn cùng tên (egov <lệnh> --help); lệnh gõ vào vẫn được ưu tiên.
# Đường dẫn tính từ thư mục chứa tệp này. Xem docs/huong-dan-su-dung.md.

workspace = "egov.sqlite"        # nơi lưu mọi giá trị đã đọc, điểm và kết quả
rules = "{rules}"                # bộ tiêu chí: tên có sẵn (egov rules list) hoặc tệp .yaml
agencies = "agencies.csv"        # danh mục cơ quan: id,name,group,aliases

[ingest]
folder = "bao-cao"               # thư mục báo cáo các cơ quan gửi về

[score]
# adjustments = "dieu-chinh.csv" # điểm thẩm định điều chỉnh: agency,criterion,points,reason

[rank]
out = "ket-qua/xep-hang.xlsx"    # bảng tính xếp hạng
md = "ket-qua/tom-tat.md"
html = "ket-qua/tom-tat.html"
# phụ lục kèm quyết định công bố kết quả (Nghị định 30/2020/NĐ-CP); bỏ dấu # khi đã có số, ngày:
# docx = "ket-qua/phu-luc.docx"
# so_quyet_dinh = "125/QĐ-UBND"
# ngay_quyet_dinh = "15/01/2026"  # dd/mm/yyyy
# co_quan_ban_hanh = "UBND tỉnh …"
# tieu_de_phu_luc = "KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG …"

[report]
out = "ket-qua/co-quan"          # trang kết quả riêng của từng cơ quan (egov report --all)
"""
_AGENCIES = "id,name,group,aliases\n"



def init_round(folder: Path, *, rules: str, force: bool = False) -> list[Path]:
    """A new round's folder: egov.toml naming the rule set `rules` (loaded first: one that does not
    load stops here, before anything is written), an empty agencies.csv and the folders bao-cao/ and
    ket-qua/. Never replaces an egov.toml unless `force`; what exists already is kept. Returns what was
    written, the settings first."""
    from egovcli.render.atomic import write_text
    from egovcli.rules import load_rules

    title = load_rules(rules).title
    config = folder / SETTINGS_FILE
    if config.exists() and not force:
        raise UsageError(f"'{config}' đã có; thêm --force để ghi đè.",
                         message_en=f"'{config}' exists; add --force to replace it.")
    written = []
    for sub in ("bao-cao", "ket-qua"):
        if not (folder / sub).is_dir():
            (folder / sub).mkdir(parents=True, exist_ok=True)
            written.append(folder / sub)
    write_text(config, _TEMPLATE.format(rules=rules, title=title))
    written.insert(0, config)
    registry = folder / "agencies.csv"
    if not registry.exists():
        write_text(registry, _AGENCIES)
        written.append(registry)
    return written
