"""Collects every problem of one rule-set file, each at the line of the YAML it concerns.

Fields are read through `Checker.get` / `Checker.need`: a value of the wrong kind is said (once, at
its key's line) and read as None, so reading goes on and the file's other mistakes are found too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from egovcli.problems import Problem, at_line
from egovcli.rules.fields import Kind, complaint, convert, split_decimal_hint
from egovcli.rules.yamlread import Lines

Node = Mapping[Any, Any]  # a YAML mapping as loaded
# the codes of most mistakes (egovcli.problems.CATALOGUE: E-RULES-…)
FIELD = "E-RULES-FIELD"  # a key missing, empty or unknown, or a value of the wrong kind
VALUE = "E-RULES-VALUE"  # a value out of its range
REFERENCE = "E-RULES-REFERENCE"  # names a section, condition, group, indicator or criterion that is not there
FORMULA = "E-RULES-FORMULA"
SUM = "E-RULES-SUM"  # maxima or weights that do not add up


class Checker:
    def __init__(self, origin: str, lines: Lines) -> None:
        self.origin, self.lines = origin, lines
        self.problems: list[Problem] = []
        self.todos: list[Problem] = []  # W-RULES-TODO: what a draft still leaves to do, not a mistake
        self.failed: set[tuple[int, str]] = set()  # (id(mapping), key) of each value that could not be read

    def add(self, code: str, message: str, node: object = None, key: str = "") -> None:
        """A problem `code` (E-RULES-…) at the line of `key` in the mapping or list `node` (else of
        `node`, else none)."""
        found = self.lines.get(id(node), {})
        self.problems.append(at_line(code, self.origin, found.get(key) or found.get("") or None, message))

    def todo(self, node: Node, about: str) -> None:
        """The `todo:` of a mapping, if any (a text: what a person still has to do on it)."""
        text = self.get(node, "todo", "text", about)
        if text and text.strip():
            found = self.lines.get(id(node), {})
            line = found.get("todo") or found.get("") or None
            message = f"{about}còn phải làm: {text.strip()}"
            self.todos.append(at_line("W-RULES-TODO", self.origin, line, message))

    def line(self, node: object) -> int | None:
        return self.lines.get(id(node), {}).get("")

    def get(self, node: Node, key: str, kind: Kind, about: str = "") -> Any:
        """node[key] read as `kind` (`fields.convert`); None when absent or null, or wrong (then said)."""
        value = node.get(key)
        if value is not None and (problem := complaint(value, kind)) is not None:
            self.add(FIELD, f"{about}{key} {problem}", node, key)
            self.failed.add((id(node), key))
            return None
        return None if value is None else convert(value, kind)

    def need(self, node: Node, key: str, kind: Kind, about: str = "") -> Any:
        """Like `get`, for a key that must be given."""
        if node.get(key) is None:
            self.add(FIELD, f"{about}{key} trống" if key in node else f"{about}thiếu khóa '{key}'", node, key)
            self.failed.add((id(node), key))
        return self.get(node, key, kind, about)

    def readable(self, node: object, *keys: str) -> bool:
        """Whether none of these keys of `node` held a value that could not be read."""
        return not any((id(node), key) in self.failed for key in keys)

    def keys(self, node: Node, allowed: set[str], about: str) -> None:
        """Say which keys are not in `allowed`: a typo (`cao:` for `cap:`) must not be ignored."""
        if unknown := sorted(str(k) for k in node if k not in allowed):
            hint = split_decimal_hint(node)  # `{max: 2,5}`: YAML split the number
            used = ", ".join(sorted(allowed))
            self.add(FIELD, f"{about}khóa lạ {', '.join(unknown)} (dùng: {used}){hint}", node)

    def entries(self, node: Node, key: str, what: str, required: bool = False) -> list[tuple[int, Node]]:
        """(1-based index, mapping) for each item of the list node[key]; other items are said wrong."""
        items = (self.need if required else self.get)(node, key, "list") or []
        for index, item in enumerate(items, 1):
            if not isinstance(item, Mapping):
                self.add(FIELD, f"{what} thứ {index} {complaint(item, 'mapping')}", items, str(index - 1))
                self.failed.add((id(node), key))
        return [(index, item) for index, item in enumerate(items, 1) if isinstance(item, Mapping)]
