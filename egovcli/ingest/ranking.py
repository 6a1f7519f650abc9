"""Reading a published ranking for `egov verify`: the readers of ingest, in a process of their own,
with the columns the user named (`--columns`), web pages (.html) besides the report formats, and
the headers of the tables seen when no ranking table is found (to say what was found instead)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from egovcli.ingest.extract import EXTRACTORS, extract_file
from egovcli.ingest.layout.given import Columns, given_columns, seeing_headers
from egovcli.ingest.readers.safety import Limits
from egovcli.ingest.workers import extract_isolated
from egovcli.model import Extracted
from egovcli.problems import problem

VERIFY_EXTRACTORS = {**EXTRACTORS, **dict.fromkeys((".html", ".htm"), "egovcli.ingest.readers.html")}


@dataclass(frozen=True, slots=True)
class _RankingReader:
    """`extract_file` with the named columns, noting the headers seen (picklable: it runs in the
    reading process)."""

    columns: Columns | None

    def __call__(self, path: Path, limits: Limits, extractors: dict[str, str]) -> Extracted:
        with given_columns(self.columns), seeing_headers() as seen:
            extracted = extract_file(path, limits, extractors)
        if seen and not any(o.kind == "published_score" for o in extracted.observations):
            tables = "; ".join(f"bảng {n}: {header}" for n, header in enumerate(seen, 1))
            extracted.problems.append(problem("I-TABLES-SEEN", str(path), tables=tables))
        return extracted


def read_ranking(path: Path, columns: Columns | None = None, limits: Limits | None = None) -> Extracted:
    """A published ranking read as `egov verify` reads it, in a killable process within `limits`."""
    return extract_isolated(path, limits, extractors=VERIFY_EXTRACTORS, task=_RankingReader(columns))
