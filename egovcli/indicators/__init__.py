"""Map observation labels onto canonical indicators (catalogue.yaml).

`Matcher(pins).match(label)` tries, in order: a user pin (`load_mapping`), an exact alias, the heading
of a fill-in alias followed by the agency's own text (alias "Giải pháp khác: …", label "Giải pháp khác:
Ổ cứng di động"), an alias followed only by qualifiers ("… năm 2022 (đến thời điểm báo cáo)"), then the
closest alias by `rapidfuzz.fuzz.ratio` on content words (function words such as "các", "được", "của"
dropped), if it scores at least `FUZZY_THRESHOLD`. Labels are compared in a normal form: `textnorm.key`
with common abbreviations spelled out ("DVC TT" → "dich vu cong truc tuyen", "Tỉ lệ" → "ty le", "Số
lượng" → "so"). Guards against false positives: a prefix or fuzzy candidate must agree with the label on
its numbers (mức độ 3 ≠ mức độ 4; years ignored), on being a share ("tỷ lệ") or not, on negation
("không"), on the direction of documents (đi / đến), on scope (cấp xã, cấp huyện, đơn vị sự nghiệp, a
system dùng chung or dùng riêng), on a part of the staff counted apart (nữ, đảng viên) and on the
sub-item of a label the reader composed as "question – sub-item" ("… – Kiêm nhiệm" is neither "… –
Chuyên trách" nor the bare question); a fuzzy candidate may
add or drop words but not replace one ("internet" ≠ "máy tính"; words alike up to a typo count as the
same); labels of fewer than three content words match exactly only.

`Matcher(pins, extra=rule_set.indicators)` adds a rule set's own indicators (docs/rules.md §4.1) to the
catalogue's for that matcher; `Matcher.candidates(label)` names the indicators closest to a label that
matched none (`CANDIDATES`, `CANDIDATE_THRESHOLD`), for a person to choose from.

Derived indicators (`derive` in the catalogue) are computed from reported ones when scoring
(`egovcli.score.derived`).

The package by concern: `load` reads and checks catalogue.yaml; `normal` is the normal form and the
guards; `matcher` finds a label's indicator; `mapping` reads the user's pins (mapping.csv).
"""

from egovcli.indicators.load import (
    CATALOGUE_PATH,
    KINDS,
    Catalogue,
    CatalogueError,
    Derivation,
    Indicator,
    catalogue,
    derivation_order,
    load_catalogue,
)
from egovcli.indicators.mapping import MappingError, load_mapping
from egovcli.indicators.matcher import FUZZY_THRESHOLD, Match, Matcher

__all__ = [
    "CATALOGUE_PATH",
    "FUZZY_THRESHOLD",
    "KINDS",
    "Catalogue",
    "CatalogueError",
    "Derivation",
    "Indicator",
    "Match",
    "Matcher",
    "MappingError",
    "catalogue",
    "derivation_order",
    "load_catalogue",
    "load_mapping",
]
