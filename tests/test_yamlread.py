"""A rule set's YAML read by libyaml (`yamlread._read_fast`) is the document the Python loader reads,
lines and repeated keys included; whatever breaks a limit is left to the Python loader, which says why."""

from __future__ import annotations

from typing import Any

import pytest

from egovcli.rules import yamlread
from egovcli.rules.loader import RULES_DIR


def _shape(document: yamlread.YamlDocument) -> tuple[Any, ...]:
    """The document's data with the lines of each mapping and list, by path (ids differ between reads)."""
    lines: dict[tuple[str, ...], dict[str, int]] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, dict | list):
            lines[path] = dict(document.lines.get(id(node), {}))
            for key, value in node.items() if isinstance(node, dict) else enumerate(node):
                walk(value, (*path, str(key)))

    walk(document.data, ())
    return repr(document.data), lines, document.duplicates


def _python(text: str) -> yamlread.YamlDocument:
    loader = yamlread._LineLoader(text)
    try:
        return yamlread.YamlDocument(loader.get_single_data(), loader.lines, loader.duplicates)
    finally:
        loader.dispose()


@pytest.mark.parametrize("name", sorted(p.name for p in RULES_DIR.glob("*.yaml")))
def test_libyaml_reads_a_shipped_rule_set_as_the_python_loader(name: str) -> None:
    text = (RULES_DIR / name).read_text(encoding="utf-8")
    fast = yamlread._read_fast(text)
    assert fast is not None and _shape(fast) == _shape(_python(text))


def test_repeated_keys_and_anchors_read_the_same() -> None:
    text = "base: &b {max: 2, max: 3}\nitems:\n  - *b\n  - {<<: *b, id: x}\nname: a\nname: b\n"
    fast = yamlread._read_fast(text)
    assert fast is not None and _shape(fast) == _shape(_python(text)) and len(fast.duplicates) == 2


LAUGHS = "l0: &l0 [x]\n" + "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]\n" for i in range(1, 30))


@pytest.mark.parametrize("text", [
    LAUGHS,  # aliases expanding to a billion nodes
    "a: " + "[" * 60 + "]" * 60,  # deeper than MAX_DEPTH
    "a: &a [*a]",  # an alias inside itself
    "a: b\x00",  # a character YAML forbids
    "a: [b",  # no valid YAML
])
def test_a_text_beyond_a_limit_is_left_to_the_python_loader(text: str) -> None:
    assert yamlread._read_fast(text) is None
    with pytest.raises(yamlread.yaml.YAMLError):
        yamlread.read_yaml(text)
