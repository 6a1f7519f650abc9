"""Merged and renamed agencies: agencies.csv's optional columns `merged_from` (the units an agency was
formed from, by id or name, ';'-separated), `renamed_from` (its former names) and `since` (the date
the change took effect, dd/mm/yyyy or yyyy-mm-dd), read into a `Lineage` per agency, checked all at
once, and stored in the workspace (JSON) for `egovcli.rank.previous` to compare a merged unit with
its predecessors and a renamed one with its former name."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from egovcli.agencies import Agency, AgencyRegistry, agency_key, display_name, split_list


@dataclass(frozen=True, slots=True)
class Predecessor:
    """A unit an agency was formed from, or one of its former names: the name shown, and the
    `agency_key` of every spelling its reports may have been ingested under (registered or not)."""

    name: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lineage:
    """What a registered agency was formed from (agencies.csv `merged_from`, `renamed_from`, `since`):
    `keys` are the `agency_key`s of its name and aliases, by which its ranked rows are recognised."""

    agency: str
    keys: tuple[str, ...]
    merged_from: tuple[Predecessor, ...] = ()
    renamed_from: tuple[Predecessor, ...] = ()
    since: str = ""  # ISO date the merger or rename took effect; "" when not given


def lineage_json(lineage: Sequence[Lineage]) -> str:
    """The lineage as the workspace stores it (JSON)."""
    return json.dumps([asdict(item) for item in lineage], ensure_ascii=False)


def lineage_from_json(text: str | None) -> list[Lineage]:
    """The lineage a workspace stored (`lineage_json`); [] for none."""

    def units(items: list[dict[str, object]]) -> tuple[Predecessor, ...]:
        return tuple(Predecessor(str(p["name"]), tuple(p["keys"])) for p in items)  # type: ignore[arg-type]

    return [
        Lineage(d["agency"], tuple(d["keys"]), units(d["merged_from"]), units(d["renamed_from"]), d["since"])
        for d in json.loads(text or "[]")
    ]


LINEAGE_COLUMNS = ("merged_from", "renamed_from", "since")


@dataclass(frozen=True, slots=True)
class RegistryRow:
    """One agency of agencies.csv as read: where, its id, the agency, its spellings, its cells."""

    line: int
    ident: str
    agency: Agency
    spellings: tuple[str, ...]
    cells: dict[str, str]


def read_lineage(
    registry: AgencyRegistry, rows: list[RegistryRow], error: Callable[[int, str, str], None]
) -> list[Lineage]:
    """The lineage of every agency with merged_from / renamed_from, each mistake passed to `error`
    (line, code, what): a predecessor written like an id (one word) that is no id or name of the
    file, a unit merged or renamed from itself, a cycle (a formed from b, b from a), a `since` that
    is no date or without a merger or rename.

    A predecessor is an id of the file, a registered name or alias, or any other name (a unit of
    an earlier period ingested without the registry): it is then found by its `agency_key`. An
    agency may name itself among its predecessors — "Sở Khoa học và Công nghệ" merged from "Sở Khoa
    học và Công nghệ" and "Sở Thông tin và Truyền thông" means the former unit of that name."""
    from egovcli.values.dates import whole_date  # (the value parsers: opening a workspace needs none)

    by_id = {r.ident: r for r in rows}
    by_key = {r.agency.key: r for r in rows}

    def registered(text: str) -> RegistryRow | None:
        found = registry.find(text)
        return by_id.get(text) or (by_key.get(found.key) if found else None)

    out: list[Lineage] = []
    edges: dict[str, list[str]] = {}  # id → ids of the registered units it was formed from
    for r in rows:
        merged = split_list(r.cells.get("merged_from", ""))
        renamed = split_list(r.cells.get("renamed_from", ""))
        since_text = r.cells.get("since", "")
        since = whole_date(since_text) if since_text else None
        if since_text and since is None:
            error(r.line, "E-AGENCY-DATE",
                  f"since '{since_text}' không phải ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
        elif since_text and not merged and not renamed:
            error(r.line, "E-CSV-VALUE", "since chỉ dùng khi có merged_from hoặc renamed_from")
        if not merged and not renamed:
            continue
        units = [(text, registered(text)) for text in merged]
        former = [(text, registered(text)) for text in renamed]
        for text, found in units:
            if found is None and len(text.split()) == 1:
                error(r.line, "E-AGENCY-PREDECESSOR",
                      f"merged_from: không có id hay tên '{text}' trong tệp (tên đơn vị ngoài danh mục"
                      " viết đầy đủ, ví dụ 'UBND xã Thanh Hà')")
            elif found is r and text == r.ident:
                error(r.line, "E-AGENCY-SELF", f"merged_from: '{text}' là id của chính đơn vị này")
        if units and all(found is r for _, found in units):
            error(r.line, "E-AGENCY-SELF",
                  "merged_from chỉ nêu chính đơn vị này: không có đơn vị nào hợp nhất vào")
        for text in renamed:
            if agency_key(text) == agency_key(r.agency.name):
                error(r.line, "E-AGENCY-SELF", f"renamed_from: '{text}' là tên hiện tại của đơn vị")
        edges[r.ident] = [f.ident for _, f in (*units, *former) if f is not None and f is not r]
        out.append(Lineage(
            r.agency.name, _keys(r.spellings),
            tuple(_predecessor(text, found, r) for text, found in units),
            tuple(_predecessor(text, found, r) for text, found in former),
            since.isoformat() if since else "",
        ))
    for cycle in _cycles(edges):
        first = by_id[cycle[0]]
        error(first.line, "E-AGENCY-CYCLE", "vòng hợp nhất/đổi tên: " + " → ".join([*cycle, cycle[0]]))
    return out


def _keys(spellings: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(agency_key(s) for s in spellings))


def _predecessor(text: str, found: RegistryRow | None, unit: RegistryRow) -> Predecessor:
    """A predecessor as written: a registered unit by its name and every spelling; the unit itself
    (its former self) by the name as written; any other name by its own key."""
    if found is None:
        return Predecessor(display_name(text), (agency_key(text),))
    shown = display_name(text) if found is unit else found.agency.name
    return Predecessor(shown, _keys(found.spellings))


def _cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle of `edges` (ids, from the one reached first), by one depth-first walk (no recursion:
    a long chain of renames is no problem)."""
    found: list[list[str]] = []
    state: dict[str, bool] = {}  # True while on the current path, False once done
    for root in edges:
        if root in state:
            continue
        state[root], path, stack = True, [root], [iter(edges[root])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = False
                stack.pop()
            elif state.get(nxt):
                found.append(path[path.index(nxt):])
            elif nxt not in state and nxt in edges:
                state[nxt] = True
                path.append(nxt)
                stack.append(iter(edges[nxt]))
    return found
