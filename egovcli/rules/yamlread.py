"""Read a rule-set YAML text safely, remembering the line of every mapping, list, key and item.

A rule file comes from users, so reading one is bounded (docs/rules.md §12): nesting at most
`MAX_DEPTH` levels, and aliases (`*name`) adding at most `MAX_ALIAS_NODES` nodes in all — a "billion
laughs" file of a few hundred bytes (anchors nesting aliases of anchors) would otherwise expand to
gigabytes once its values are used. The composer counts expansion as it goes, so such a file is
refused after a few thousand steps and before anything is built. Aliases that contain themselves and
values Python cannot hold (an int of 5,000 digits, 2022-13-45) are refused too; a key repeated in one
mapping (plain YAML silently keeps the last one) is reported with the file's other mistakes. Tags are
safe_load's: no Python objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_BYTES = 5 * 1024 * 1024  # rule files are tens of KB; Hà Nam 2022 (500 points) is under 100 KB
MAX_DEPTH = 40  # a parts → exemption → banded formula nests about 10 levels
MAX_ALIAS_NODES = 100_000  # nodes that aliases may add; a shared band list costs a few dozen

Lines = Mapping[int, Mapping[str, int]]  # id(mapping or list) → {"": its line, key or index: that line}


class YamlLimitError(yaml.MarkedYAMLError):
    """A YAML text beyond a limit of this module (Vietnamese `problem`, with the mark of the cause)."""


@dataclass(frozen=True, slots=True)
class YamlDocument:
    data: Any
    lines: Lines
    duplicates: list[tuple[int, str]]  # (line, message) of each key repeated in its mapping


def read_yaml(text: str) -> YamlDocument:
    """The single document of `text` with its lines; raises yaml.YAMLError (with `problem_mark`)."""
    found = _read_fast(text)
    if found is not None:
        return found
    try:
        loader = _LineLoader(text)
        try:
            return YamlDocument(loader.get_single_data(), loader.lines, loader.duplicates)
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:  # a NUL or other control character: it says no line, only where
        line, column = text.count("\n", 0, exc.position), exc.position - text.rfind("\n", 0, exc.position) - 1
        mark = yaml.Mark("", exc.position, line, column, "", 0)
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlLimitError(None, None, f"ký tự không được phép U+{ord(character):04X}", mark) from exc


def _read_fast(text: str) -> YamlDocument | None:
    """The document as `_LineLoader` reads it, its nodes composed by libyaml (ten times faster: every
    `egov score` and `egov rank` reads a rule set) and held to the same limits before anything is
    built; None when libyaml is not built in, or the text breaks a limit or is no valid YAML for
    either parser: `_LineLoader` then reads it and says why, as it always has."""
    if not hasattr(yaml, "CSafeLoader") or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()  # libyaml nests at most 1,000 levels: the composer's stack holds
        if node is None or _expanded(node, 0, {}, set()) is None:
            return None
        return YamlDocument(loader.construct_document(node), loader.lines, loader.duplicates)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _expanded(node: Node, depth: int, sizes: dict[int, int], open_: set[int]) -> tuple[int, int] | None:
    """(nodes `node` stands for once aliases are expanded, nodes aliases added below and at it), as
    `_LineLoader` counts them (the first time a node is met is its anchor, every other time an alias
    of it); None when too deep, an alias inside itself, or aliases adding too many nodes."""
    if depth >= MAX_DEPTH or id(node) in open_:
        return None
    if id(node) in sizes:
        return sizes[id(node)], sizes[id(node)]
    children: list[Node] = []
    if isinstance(node, SequenceNode):
        children = node.value
    elif isinstance(node, MappingNode):
        children = [n for pair in node.value for n in pair]
    open_.add(id(node))
    size, added = 1, 0
    for child in children:
        counted = _expanded(child, depth + 1, sizes, open_)
        if counted is None or added + counted[1] > MAX_ALIAS_NODES:
            return None
        size, added = size + counted[0], added + counted[1]
    open_.discard(id(node))
    sizes[id(node)] = size
    return size, added


def problem_line(exc: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML error points at, if it says."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return None if mark is None else mark.line + 1


def problem_text(exc: yaml.YAMLError) -> str:
    """What a YAML error says, without PyYAML's 'in "<unicode string>", line …' location lines."""
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [exc.context, exc.problem]
        return "; ".join(p for p in parts if p) or str(exc)
    return str(exc)


class _Lined(yaml.constructor.SafeConstructor):
    """safe_load's construction, recording the line of each mapping, list, key and item."""

    lines: dict[int, dict[str, int]]
    duplicates: list[tuple[int, str]]  # (line, message) of each repeated key

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # int("1" * 5000), date(2022, 13, 45)
            kind = _KINDS.get(node.tag.rsplit(":", 1)[-1])
            value = str(node.value)
            value = value if len(value) <= 40 else value[:40] + "…"
            what = f"thành {kind}" if kind else f"({str(exc)[:100]})"
            message = f"giá trị '{value}' không đọc được {what}"
            raise ConstructorError(None, None, message, node.start_mark) from exc

    def construct_undefined(self, node: Node) -> Any:
        raise ConstructorError(None, None, f"thẻ {node.tag} không được phép: chỉ dùng giá trị YAML thường",
                               node.start_mark)

    def construct_lined_map(self, node: MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        own = [k for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge" and isinstance(k.value, str)]
        keys: dict[str, int] = {"": node.start_mark.line + 1}
        seen: dict[tuple[str, str], int] = {}
        for k in own:  # scalar keys; merged ones (<<: *base) may be overridden, so are not compared
            line = k.start_mark.line + 1
            if (k.tag, k.value) in seen:
                self.duplicates.append((line, f"khóa '{k.value[:40]}' lặp lại (lần đầu ở dòng "
                                              f"{seen[k.tag, k.value]}); YAML chỉ giữ giá trị sau"))
            seen.setdefault((k.tag, k.value), line)
            if k.value:  # "" stands for the mapping itself
                keys[k.value] = line  # the last one: YAML keeps its value
        self.lines[id(data)] = keys
        yield data
        data.update(self.construct_mapping(node))

    def construct_lined_seq(self, node: SequenceNode) -> Iterator[list[Any]]:
        data: list[Any] = []
        self.lines[id(data)] = {"": node.start_mark.line + 1} | {
            str(i): item.start_mark.line + 1 for i, item in enumerate(node.value)
        }
        yield data
        data.extend(self.construct_sequence(node))


class _LineLoader(yaml.SafeLoader, _Lined):
    """safe_load with the limits above, recording the line of each mapping, list, key and item."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.lines = {}
        self.depth = 0
        self.alias_nodes = 0
        self.sizes: dict[int, int] = {}  # id(node) → nodes it stands for once aliases are expanded
        self.duplicates = []

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        is_alias = isinstance(event, yaml.AliasEvent)
        if self.depth >= MAX_DEPTH:
            raise YamlLimitError(None, None, f"lồng nhau quá {MAX_DEPTH} tầng", event.start_mark)
        self.depth += 1
        try:
            node = cast(Node, super().compose_node(parent, index))  # None only for an empty document
        finally:
            self.depth -= 1
        if is_alias:
            size = self.sizes.get(id(node))
            if size is None:  # its anchor is still being composed: the alias is inside itself
                raise YamlLimitError(None, None, f"bí danh *{event.anchor} nằm trong chính nó (vòng lặp)",
                                     event.start_mark)
            self.alias_nodes += size
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise YamlLimitError(None, None, f"các bí danh (*tên) mở rộng ra quá {MAX_ALIAS_NODES} "
                                     "nút (kiểu 'billion laughs'); hãy viết giá trị ra thay vì lồng bí danh",
                                     event.start_mark)
            return node
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = node.value
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        self.sizes[id(node)] = 1 + sum(self.sizes[id(c)] for c in children)
        return node


_KINDS = {"int": "số nguyên", "float": "số", "timestamp": "ngày tháng"}  # YAML tag → words for messages


def _register(loader: Any) -> None:
    """`_Lined`'s constructors on the loader class `loader`."""
    loader.add_constructor(None, loader.construct_undefined)
    loader.add_constructor("tag:yaml.org,2002:map", loader.construct_lined_map)
    loader.add_constructor("tag:yaml.org,2002:seq", loader.construct_lined_seq)


_register(_LineLoader)

if hasattr(yaml, "CSafeLoader"):  # PyYAML built with libyaml (its wheels are)

    class _FastLoader(yaml.CSafeLoader, _Lined):
        """libyaml composing the nodes (`_read_fast` holds them to the limits), `_Lined` building them."""

        def __init__(self, text: str) -> None:
            super().__init__(text)
            self.lines = {}
            self.duplicates = []

    _register(_FastLoader)
