"""One place for each rule (issue 12, item 2): a vocabulary written out in two modules drifts (the TT
headers of criteria tables and of published rankings, the catalogue's indicator kinds and the rule
checks' were two copies each); each is defined once and imported."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import egovcli

PACKAGE = Path(egovcli.__file__).parent


def test_no_vocabulary_is_written_out_in_two_modules() -> None:
    """A set, tuple or list of three or more strings stands in one module only."""
    places: dict[frozenset[str], set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Set | ast.Tuple | ast.List) and len(node.elts) >= 3:
                words = [e.value for e in node.elts
                         if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                if len(words) == len(node.elts):
                    places[frozenset(words)].add(str(path.relative_to(PACKAGE)))
    assert {tuple(sorted(words)): sorted(where) for words, where in places.items() if len(where) > 1} == {}


def test_tt_headers_are_one_vocabulary() -> None:
    from egovcli.ingest.layout import header, published

    assert published.TT_KEYS is header.TT_KEYS


def test_indicator_kinds_are_the_catalogue_s() -> None:
    from egovcli.indicators import KINDS
    from egovcli.rules.formulas import ANY_KIND

    assert ANY_KIND is KINDS
