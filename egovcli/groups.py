"""Agency groups: the one registry of the groups agencies are ranked in.

Agencies are ranked within their group only (departments against departments), groups shown in
the order of `GROUPS`. A group is data: its id (in agencies.csv, rule sets' `groups:`, the
workspace and every export), its Vietnamese labels, the words agencies.csv may name it by, and how
an agency's name tells that it belongs to it. Adding a group (commune level, ngành dọc, a custom
one) is one more `Group` record here; no other module names a group.

Built in: sở/ban/ngành and their equivalents, the historic UBND huyện/quận/thị xã/thành phố thuộc
tỉnh (so the 2017–2024 rule sets rank as they did), UBND xã/phường/đặc khu (since July 2025) and
ngành dọc units. A name fitting none — or a province-level name ("UBND tỉnh …", "TP. Đà Nẵng": the
evaluator, never a district) — gets `UNGROUPED`: ingest reports it (W-UNKNOWN-GROUP), agencies.csv
may place it, and otherwise it is ranked in its own block, "Chưa xếp nhóm", after the groups.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from egovcli.textnorm import key


@dataclass(frozen=True, slots=True)
class Group:
    """One agency group. Name patterns are on agency keys (`agencies.agency_key`: accents, case and
    punctuation folded, "Ủy ban nhân dân" → "ubnd", "TP." → "thanh pho")."""

    id: str  # "department"
    label: str  # the group as a heading (plural): "Sở, ban, ngành"
    singular: str  # one agency of it: "UBND cấp huyện"
    aliases: tuple[str, ...] = ()  # more words for it in agencies.csv's group column ("huyen")
    starts: tuple[str, ...] = ()  # first words of its agencies' names ("so", "van phong")
    # places whose people's committee is one of its agencies: "UBND huyện …", "Huyện …"
    places: tuple[str, ...] = ()
    # a form's label naming the agency by its place ("Tên huyện, thị xã: Huyện Tuy Phước")
    place_labels: tuple[str, ...] = ()
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # also on `dataclasses.replace`: the pattern follows the fields
        parts = []
        if self.starts:
            parts.append(rf"^(?:{'|'.join(map(re.escape, self.starts))})\b")
        if self.places:
            places = "|".join(map(re.escape, self.places))
            parts.append(rf"\bubnd\s+(?:{places})\b|^(?:{places})\s")
        object.__setattr__(self, "pattern", re.compile("|".join(parts) or r"(?!)"))

    def holds(self, agency_key: str) -> bool:
        """Whether an agency with this key belongs to the group by its name."""
        return self.pattern.search(agency_key) is not None

    def is_place(self, name_key: str) -> bool:
        """Whether a name (its `textnorm.key`) is one of the group's places: "huyen tuy phuoc"."""
        return name_key.startswith(tuple(f"{place} " for place in self.places))


GROUPS: tuple[Group, ...] = (  # in display order; a name is tried against them in this order too
    Group("department", "Sở, ban, ngành", "sở, ban, ngành", aliases=("so",),
          starts=("so", "ban", "van phong", "thanh tra", "dai")),
    Group("district", "UBND cấp huyện", "UBND cấp huyện", aliases=("huyen",),
          places=("huyen", "thi xa", "thanh pho", "quan"), place_labels=("ten huyen",)),
    # since 1 July 2025 the second level of local government (xã, phường, đặc khu); "thị trấn" for
    # the rounds before it
    Group("commune", "UBND xã, phường, đặc khu", "UBND cấp xã", aliases=("xa", "cap xa", "phuong"),
          places=("xa", "phuong", "dac khu", "thi tran"), place_labels=("ten xa", "ten phuong")),
    # central agencies' local units a province often ranks too (ngành dọc)
    Group("vertical", "Cơ quan ngành dọc", "cơ quan ngành dọc", aliases=("nganh doc",),
          starts=("cong an tinh", "cong an thanh pho", "kho bac", "cuc thue", "chi cuc thue", "thue tinh",
                  "thue thanh pho", "thue co so", "bao hiem xa hoi", "cuc thong ke", "chi cuc thong ke",
                  "thong ke tinh", "ngan hang nha nuoc", "cuc hai quan", "chi cuc hai quan", "hai quan",
                  "bo chi huy quan su", "bo chi huy bo doi bien phong", "vien kiem sat nhan dan",
                  "toa an nhan dan", "thi hanh an dan su", "cuc thi hanh an dan su")),
)
_CUSTOM_ID = re.compile(r"[a-z][a-z0-9_]*")
UNGROUPED = ""  # the group of an agency whose name fits no group: reported at ingest, ranked apart
UNGROUPED_LABEL = "Chưa xếp nhóm"
# groups whose agencies a publisher may print among another group's (Công an tỉnh among the sở, ban,
# ngành): `egov verify` ranks them with the table they are printed in
GUESTS = (UNGROUPED, "vertical")
# a province or a centrally-run city is the evaluator, never one of its districts ("TP. Đà Nẵng",
# "UBND tỉnh Hà Nam"): its name gets no group
_PROVINCE_LEVEL = re.compile(
    r"^(?:ubnd\s+)?(?:tinh\s(?!(?:uy|doan|doi)\b)"  # "Tỉnh ủy", "Tỉnh đoàn" are agencies, not the province
    r"|thanh pho\s+(?:ha noi|ho chi minh|hcm|hai phong|da nang|can tho|hue)$)"
)


def ids() -> tuple[str, ...]:
    """The group ids in display order."""
    return tuple(g.id for g in GROUPS)


def find(group: str) -> Group | None:
    """The group with this id."""
    return next((g for g in GROUPS if g.id == group), None)


def label(group: str, ranked: Sequence[Group] = ()) -> str:
    """The group's heading ("Sở, ban, ngành"), as the rule set's `ranked` groups title it when they
    have it; "Chưa xếp nhóm" for `UNGROUPED`; an unknown id as it is."""
    found = next((g for g in ranked if g.id == group), None) or find(group)
    return found.label if found else group or UNGROUPED_LABEL


def order(group: str, ranked: Sequence[Group] = ()) -> tuple[int, str]:
    """Sort key: the order of the rule set's `ranked` groups (else the registry's), others after, by id."""
    known = [g.id for g in ranked] or ids()
    return (known.index(group) if group in known else len(known), group)


def infer(agency_key: str, ranked: Sequence[Group] = ()) -> str:
    """The group an agency's name puts it in; `UNGROUPED` for a name that fits none or names a
    province-level unit (never silently the first group).

    `ranked` are the groups a rule set ranks (`declare`): then a group of its own with `names` is tried
    first ("Ban Tuyên giáo Tỉnh ủy" in a "khối Đảng" before the sở, ban, ngành), then the built-in
    groups, and a built-in group the rule set does not rank gives `UNGROUPED`. Without `ranked`: the
    built-in groups, in registry order."""
    if _PROVINCE_LEVEL.search(agency_key):
        return UNGROUPED
    own = next((g.id for g in ranked if g.id not in ids() and g.holds(agency_key)), None)
    if own:
        return own
    built_in = next((g.id for g in GROUPS if g.holds(agency_key)), UNGROUPED)
    return built_in if not ranked or any(g.id == built_in for g in ranked) else UNGROUPED


def declare(group_id: str, title: str = "", names: Sequence[str] = ()) -> Group:
    """A group as a rule set declares it: a built-in id with the built-in recognition (its title
    replaced when `title` is given; `names` added to it), or a group of its own, recognised by its
    `names` (agency keys: a member's key begins with one)."""
    found = find(group_id)
    if found:
        return replace(found, label=title or found.label, starts=(*found.starts, *names))
    return Group(group_id, title or group_id, title or group_id, starts=tuple(names))


def is_custom_id(text: str) -> bool:
    """Whether `text` can name a group of a rule set's own (in agencies.csv's group column): an ASCII
    id ("doan_the")."""
    return _CUSTOM_ID.fullmatch(text) is not None


def named(text: str) -> str | None:
    """The group an agencies.csv cell names: its id, label or an alias, accents and case ignored."""
    wanted = key(text)
    return next((g.id for g in GROUPS if wanted in (g.id, key(g.label), key(g.singular), *g.aliases)), None)


def place_group(label_key: str) -> Group | None:
    """The group whose form label (`key` of it) names an agency by its place ("ten huyen …")."""
    return next((g for g in GROUPS if g.place_labels and label_key.startswith(g.place_labels)), None)


def choices() -> str:
    """The group ids for a message: "department hoặc district"."""
    *first, last = ids()
    return f"{', '.join(first)} hoặc {last}" if first else last
