"""A rule set's own indicators (`indicators:`): read and checked against the shipped catalogue.

A province's criteria often need a figure egov does not ship ("Số camera giám sát thông minh"); the
rule set declares it beside the catalogue, with the fields of a catalogue entry (id, name, unit,
kind, aliases), so no one edits the installed package. Scoring with the rule set then maps report
labels onto these indicators too (`indicators.Matcher(extra=…)`), and formulas may read them.

An id the catalogue already has is no new indicator: the entry must give the same kind (and unit,
when it gives one), and its name and aliases become further labels of the shipped indicator (a
province's own wording of a figure egov knows). Every label, in the normal form labels are compared
in, names one indicator only: one already naming another indicator (or listed as `not_indicators`)
is an error, never a silent choice between two.
"""

from __future__ import annotations

from egovcli.indicators import KINDS, Indicator
from egovcli.indicators.load import default_catalogue
from egovcli.indicators.normal import normal_form
from egovcli.rules.checker import FIELD, VALUE, Checker, Node
from egovcli.textnorm import nfc

_KEYS = {"id", "name", "unit", "kind", "aliases", "todo"}


def own_indicators(check: Checker, data: Node) -> tuple[Indicator, ...]:
    """The rule set's `indicators:` after saying everything wrong with them (each at its line); an
    entry for a shipped id comes back as that indicator with the entry's labels added."""
    entries = check.entries(data, "indicators", "chỉ tiêu")
    if not entries:  # most rule sets: the catalogue's labels need not be read (every `egov rank` reads one)
        return ()
    shipped = default_catalogue()
    owner = {normal_form(a): ind.id for ind in shipped.indicators.values() for a in (ind.name, *ind.aliases)}
    owner.update({normal_form(label): "" for label in shipped.not_indicators})
    declared: dict[str, Indicator] = {}
    for index, node in entries:
        ind_id = check.need(node, "id", "name", f"chỉ tiêu thứ {index}: ")
        about = f"chỉ tiêu {ind_id}: " if ind_id else f"chỉ tiêu thứ {index}: "
        check.keys(node, _KEYS, about)
        check.todo(node, about)
        name = nfc(check.need(node, "name", "text", about) or "")
        unit = check.get(node, "unit", "text", about)
        kind = check.get(node, "kind", "text", about)
        aliases = tuple(nfc(a) for a in check.get(node, "aliases", "texts", about) or ())
        if node.get("name") is not None and not name.strip():
            check.add(FIELD, f"{about}name trống", node, "name")
        if kind is not None and kind not in KINDS:
            check.add(VALUE, f"{about}kind '{kind}' không có (dùng: {', '.join(KINDS)})", node, "kind")
        if not ind_id:
            continue
        if ind_id in declared:
            check.add("E-RULES-DUPLICATE-ID", f"{about}id trùng với một chỉ tiêu khai báo trước", node, "id")
            continue
        base = shipped.indicators.get(ind_id)
        if base is not None:
            if (kind or "count") != base.kind or (unit is not None and nfc(unit) != base.unit):
                message = (f"{about}id đã có trong danh mục của egov ({base.name}; kind {base.kind}, "
                           f"unit '{base.unit}'): chỉ được khai lại với cùng kind và unit để thêm nhãn; "
                           "hãy đặt id khác cho chỉ tiêu mới")
                check.add("E-RULES-DUPLICATE-ID", message, node, "id")
                continue
            found = Indicator(ind_id, base.name, base.unit, base.kind, (*base.aliases, name, *aliases))
        else:
            found = Indicator(ind_id, name, nfc(unit or ""), kind or "count", aliases)
        for label in (name, *aliases):
            if not (norm := normal_form(label)):
                continue
            other = owner.setdefault(norm, ind_id)
            if other != ind_id:
                whose = f"chỉ tiêu '{other}'" if other else "nhãn không phải chỉ tiêu (not_indicators)"
                check.add(VALUE, f"{about}nhãn '{label}' đã dùng cho {whose}: mỗi nhãn chỉ gọi một chỉ tiêu",
                          node, "aliases" if label in aliases else "name")
        declared[ind_id] = found
    return tuple(declared.values())
