"""A scoring run as the workspace keeps it: each agency's score packed for storage (`stored`),
unpacked again (`unpacked`), and `StoredScores`, the lazy sequence of a run's agency scores that
`ScoreRun.scores` and `RankResult.scores` are: it reads one agency at a time from the workspace, so
a national round's criterion rows (1.2 million) are never all in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, overload

from egovcli.model import Observation, SourcedObservation
from egovcli.problems import EgovError, Problem
from egovcli.score.model import AgencyScore, AgencyTotals, CriterionScore
from egovcli.workspace import Workspace
from egovcli.workspace.runs import StoredAgency, pack, totals_text, unpack

Key = tuple[str, str, str]  # agency, group, period
Make = Callable[[AgencyScore, list[dict[str, Any]]], bytes]  # an agency's export text (UTF-8), from its rows
_UNMATCHED = ("label", "raw_value", "value", "kind", "indicator", "ref", "location")


class RunGoneError(EgovError):
    """The scoring run was replaced by a later one (or pruned) before its scores were read."""

    code = "E-NO-SCORES"


def stored(seq: int, score: AgencyScore) -> StoredAgency:
    """`score` as the workspace stores it: its rows, the self-scores that decided none, its totals."""
    unmatched = [{"source_file": so.source_file, **{f: getattr(so.obs, f) for f in _UNMATCHED}}
                 for so in score.unmatched]
    totals = score.totals().as_dict()
    return StoredAgency(seq, score.agency, score.group, score.period, [r.as_dict() for r in score.rows],
                        totals, unmatched)


@dataclass(slots=True)
class Finished:
    """One agency of a run scored (`finish`): as the run stores it (packed), its export text (None
    when nothing is written as the run is scored), and what the run counts of it."""

    key: Key
    found: StoredAgency
    text: bytes | None
    rows: int  # criterion and total rows
    flagged: int  # rows with a flag
    adjusted: int  # criteria changed by an appraisal adjustment
    flags: list[str]  # every row's flags, in row order
    unmatched: list[Problem]  # W-UNKNOWN-CRITERION of the self-score rows that decided nothing

    def totals(self) -> AgencyTotals:
        """What ranks the agency, as stored (`totals_of` reads them back)."""
        found = self.found
        assert found.totals is not None  # (`stored` keeps them)
        return AgencyTotals.from_dict(found.agency, found.group, found.period, found.totals)


def finish(
    score_one: Callable[[str, str, str, list[SourcedObservation]], AgencyScore], make: Make | None,
    agency: tuple[int, Key, list[SourcedObservation]],
) -> Finished:
    """Score one agency (its place in the run, its key, its observations) and make all the run
    keeps of it: everything an agency's score becomes is made here, in whichever process scores it
    (`parallel.in_order`)."""
    seq, key, observations = agency
    score = score_one(*key, observations)
    kept = stored(seq, score)
    text = None if make is None else make(score, kept.rows)
    assert kept.totals is not None  # (`stored` keeps them)
    packed = replace(kept, rows=[], unmatched=[], packed=pack(kept.rows, kept.unmatched),
                     packed_totals=totals_text(kept.totals))
    rows = score.rows
    return Finished(key, packed, text, len(rows), sum(1 for r in rows if r.flags),
                    sum(1 for r in rows if r.basis == "adjusted"), [f for r in rows for f in r.flags],
                    score.unmatched_problems() if score.unmatched else [])


def unpacked(found: StoredAgency, rules: str) -> AgencyScore:
    """The `AgencyScore` a stored agency was (`stored`), scored under the rule set named `rules`."""
    unmatched = [
        SourcedObservation(found.agency, found.group, found.period, u["source_file"],
                           Observation(**{f: u[f] for f in _UNMATCHED}))
        for u in found.unmatched
    ]
    return AgencyScore(found.agency, found.group, found.period, rules,
                       [CriterionScore(**row) for row in found.rows], unmatched)


class InOrder:
    """Hands each agency of a run being scored on in the run's order, though the agencies of a chunk
    (`grouping.chunks`) are scored in the order their rows stream out of the workspace (by agency
    key: "Đông Sơn" is scored among the D's, but comes after "Yên Sơn" in the run). `put` takes an
    agency's text (its export rows, UTF-8 encoded, made by `make` from its score and its rows as
    stored); one scored before its turn waits as that text, up to `WAIT_BYTES` for all waiting;
    beyond, as it is stored (packed: a kilobyte or two), its text made again when its turn comes:
    memory stays flat however the orders differ."""

    WAIT_BYTES = 64 << 20

    def __init__(self, make: Make, put: Callable[[bytes], None], rules: str) -> None:
        self._make, self._put, self._rules = make, put, rules
        self._next = 0
        self._waiting: dict[int, bytes | StoredAgency] = {}
        self._bytes = 0

    def add(self, found: StoredAgency, text: bytes) -> StoredAgency:
        """Hand on `text`, the text of `found` (packed), when its turn has come, else keep it;
        returns what to store."""
        if found.seq == self._next:
            self._put(text)
            self._next += 1
            while self._next in self._waiting:
                self._hand(self._waiting.pop(self._next))
                self._next += 1
        elif self._bytes < self.WAIT_BYTES:
            self._bytes += len(text)
            self._waiting[found.seq] = text
        else:
            self._waiting[found.seq] = found
        return found

    def finish(self) -> None:
        """Hand on the agencies still waiting (after a place no agency filled), in order."""
        for seq in sorted(self._waiting):
            self._hand(self._waiting.pop(seq))

    def _hand(self, waiting: bytes | StoredAgency) -> None:
        if isinstance(waiting, bytes):
            self._bytes -= len(waiting)
            self._put(waiting)
            return
        assert waiting.packed is not None
        rows, unmatched = unpack(waiting.packed)
        score = unpacked(replace(waiting, rows=rows, unmatched=unmatched), self._rules)
        self._put(self._make(score, [r.as_dict() for r in score.rows]))


def totals_of(ws: Workspace, run_id: int, rules: str) -> Iterator[AgencyTotals]:
    """What ranks each agency of a run, without reading its rows (but for a run stored before egov
    kept its totals)."""
    for agency, group, period, totals in ws.run_totals(run_id):
        if totals is None:
            old = ws.run_agency(run_id, agency, period, group)
            assert old is not None  # just listed, in the same read
            yield unpacked(old, rules).totals()
        else:
            yield AgencyTotals.from_dict(agency, group, period, totals)


class StoredScores(Sequence[AgencyScore]):
    """A run's agency scores, read from the workspace one agency at a time when reached.

    Iterating gives them in the run's order, or in the order of `keys` (agency, group, period) when
    given (a ranking's); `len`, an index and `for_agency` read what they need only. When the
    workspace they came from has been closed, the file is opened again to read them (read-only);
    a run replaced since (a later run of the same inputs, `egov workspace prune`) is an error."""

    def __init__(self, ws: Workspace, run_id: int, rules: str, keys: Sequence[Key] | None = None) -> None:
        self._ws, self.run_id, self.rules, self._keys = ws, run_id, rules, keys
        self._size: int | None = None if keys is None else len(keys)

    def __iter__(self) -> Iterator[AgencyScore]:
        with self._reader() as ws:
            if self._keys is None:
                for found in ws.run_agencies(self.run_id):
                    yield unpacked(found, self.rules)
                return
            for agency, group, period in self._keys:
                one = ws.run_agency(self.run_id, agency, period, group)
                if one is not None:
                    yield unpacked(one, self.rules)

    def __len__(self) -> int:
        if self._size is None:
            with self._reader() as ws:
                self._size = ws.run_size(self.run_id)
        return self._size

    @overload
    def __getitem__(self, index: int) -> AgencyScore: ...
    @overload
    def __getitem__(self, index: slice) -> list[AgencyScore]: ...
    def __getitem__(self, index: int | slice) -> AgencyScore | list[AgencyScore]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self._keys is not None:
            agency, group, period = self._keys[index]
            found = self.for_agency(agency, period, group)
            assert found is not None
            return found
        for i, score in enumerate(self):
            if i == index:
                return score
        raise IndexError(index)

    def for_agency(self, agency: str, period: str, group: str | None = None) -> AgencyScore | None:
        """The score of one agency and period (in `group` when given; its name as scored), or None."""
        with self._reader() as ws:
            found = ws.run_agency(self.run_id, agency, period, group)
        return None if found is None else unpacked(found, self.rules)

    def _reader(self) -> _Reader:
        return _Reader(self._ws, self.run_id)


class _Reader:
    """The workspace to read a run from: the one it came from, or the same file opened again
    (read-only) for the duration of one read when that one was closed."""

    def __init__(self, ws: Workspace, run_id: int) -> None:
        self._ws, self._run_id = ws, run_id
        self._opened: Workspace | None = None

    def __enter__(self) -> Workspace:
        ws = self._ws
        if ws.closed:
            ws = self._opened = Workspace(ws.path, readonly=True, create=False)
        if not ws.run_exists(self._run_id):
            raise RunGoneError(
                f"Lần chấm điểm {self._run_id} không còn trong workspace {ws.path} (đã được thay bằng lần"
                " chấm sau, hoặc đã dọn bằng 'egov workspace prune'): hãy chạy lại 'egov score'."
            )
        return ws

    def __exit__(self, *exc: Any) -> None:
        if self._opened is not None:
            self._opened.close()
            self._opened = None
