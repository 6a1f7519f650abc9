"""Throughput benchmark (issue 15): a round of distinct agencies, egov and the floor in one run.

Usage: python benchmarks/bench.py [--round province|national|tiny] [--egov BIN] [--jobs J]
                                  [--json out/bench.json] [--work DIR]

Builds a round from the dti-example-2025 generator (`rounds.py`: a province is 20 sở/ban/ngành +
100 xã/phường/đặc khu; the national round 12,000 agencies; ≈ 60% xlsx, 25% docx, 15% pdf) and
measures, against the fastest way to do the same work measured in the same run:
- readers: ms/file of `egovcli.ingest.extract_file` per format vs the raw read (xlsx:
  python-calamine, every sheet; docx: zipfile + lxml parse of word/document.xml; pdf: pdfplumber
  `find_tables()` on every page), interleaved file by file so the machine's noise hits both alike;
- fixed costs: a one-file `egov ingest` vs the interpreter importing what it needs, every
  `egov … --help`, a re-ingest of 1,000 unchanged files vs hashing them;
- the round: `egov ingest` (wall, files/s, peak RSS of the parent and of the whole process tree,
  CPU ÷ wall and, with --speedup, the 1-job time ÷ the J-job time), `egov score` and `egov rank`
  (time, peak RSS, lines printed to the terminal), the workspace's size and its growth per score run;
- the 12,000 figures when the round is smaller: ingest's time at the round's rate; score and rank
  measured on a workspace of 12,000 agencies, the re-ingest round's (1,000 agencies, every report
  read) copied under new names (`measure_scale`, `score_scale`, `rank_scale`), or, without it
  (--quick), linear from a one-agency run and the round (the start-up is a fixed cost; a line from a
  province round's 0.3 s of work was too noisy to tell 20 s from 60 s at 12,000); memory (without
  that workspace) from its growth per file or agency between the round and every third file of it
  (`measure_part`: the same formats and agency groups, so the same
  libraries loaded and the same caches filled; `ingest_part`, `score_part`, `rank_part`): the round's
  peak plus that growth up to 12,000 — the ingest parent's (`ingest_parent_rss_kb_per_file`), and
  `egov score`'s and `egov rank`'s process trees (`score_rss_kb_per_agency`, `rank_rss_kb_per_agency`,
  the part's workspace scored and ranked like the round's). A line from the one-agency run would
  read as growth what a larger run loads or fills once (libraries, caches, output buffers).
Prints each goal of issue 15 with PASS/FAIL and writes every figure as JSON (`--json`; keys are
stable: a change that makes a ratio worse shows in review; benchmarks/results/ holds the "before" of
issue 15). Timings are noisy on a shared machine: compare ratios from one run, never absolute times
across runs; CPU times (readers, fixed costs, ingest, score, rank) are printed beside wall times, as
the other jobs of a busy machine disturb them least. A 12,000 figure extrapolated from a province
round is rough: `make bench-national` or `--round national --files 2000` measures at scale.

egov is run as a separate program, from `--egov` (a virtualenv's bin folder; default: this
interpreter's), so another checkout is measured with this bench: `make bench EGOV=../main/.venv/bin`;
with its bytecode compiled once into the work folder (PYTHONPYCACHEPREFIX, whatever
PYTHONDONTWRITEBYTECODE says), as an installed egov runs, not recompiling itself at every start.
Timing goals live here, never in the unit tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import rounds  # noqa: E402
from treemem import TreeSampler  # noqa: E402

NATIONAL = 12_000
BIG = 1000  # above this many files, the runs that would take tens of minutes today are left out
MB = 1 << 20
ROUNDS = {  # name → (provinces, departments, communes, files kept (None: all))
    "tiny": (1, 2, 4, None),  # for tests/test_bench_round.py
    "province": (1, 20, 100, None),
    "national": (34, 20, 333, NATIONAL),
}
RULES = rounds.RULES
ROUND_MIX = {"tiny": {"xlsx": 0.5, "docx": 0.5}}  # the tests' round: no PDF (slow); the others: national
# the JSON's sections and, per section, the keys a reviewer compares (others may be added, never renamed)
JSON_KEYS: dict[str, tuple[str, ...] | None] = {
    "schema": None,
    "meta": ("egov", "jobs", "cpus", "load", "python", "round"),
    "readers": None,  # per format: files, egov_ms, floor_ms, ratio, egov_cpu_ms, floor_cpu_ms, cpu_ratio
    "fixed": ("one_file_ingest_s", "import_floor_s", "interpreter_s", "one_file_ratio", "help_ms",
              "help_max_ms", "help_cpu_max_ms", "one_file_ingest_cpu_s", "import_floor_cpu_s",
              "reingest_files", "reingest_s", "hash_s", "reingest_ratio", "reingest_lines",
              "one_file_parent_rss_mb"),
    "round": ("ingest", "workspace_mb", "score_csv", "rank_csv", "workspace_command", "one_agency",
              "ingest_part", "score_part", "rank_part"),
    # + score_table, rank_table, rank_outputs (rounds up to BIG files), ingest_1job (with --speedup)
    "national": ("files", "measured", "ingest_min", "ingest_cpu_min", "ingest_parent_rss_mb", "score_s",
                 "rank_s", "score_rank_s", "score_rank_cpu_s", "score_rss_mb", "rank_rss_mb", "workspace_mb",
                 "score_run_growth_mb", "ingest_parent_rss_kb_per_file", "score_rss_kb_per_agency",
                 "rank_rss_kb_per_agency"),
    "goals": None,  # [{id, text, value, limit, unit, extrapolated, status}], in GOAL_IDS order
}
GOAL_IDS = ("1.xlsx", "1.docx", "1.pdf", "2.one-file", "2.help", "2.reingest", "3.ingest-parent",
            "3.score-rss", "3.rank-rss", "3.score-rank", "4.growth", "4.size", "4.prune", "5.score-lines",
            "5.rank-lines", "5.reingest-lines", "6.national")
SAMPLE = {"xlsx": 40, "docx": 40, "pdf": 6}  # files per format timed by the reader benchmark
PART = 3  # memory per file / agency (ingest parent, score, rank): the round beside every PART-th file of it

# the reader benchmark, run by egov's interpreter: per format, egov and the floor on the same files
READERS_CHILD = r"""
import json, sys, time, zipfile
from pathlib import Path
files = json.loads(sys.argv[1])
from egovcli.ingest import extract_file
import python_calamine, lxml.etree, pdfplumber

def floor_xlsx(p):
    book = python_calamine.CalamineWorkbook.from_path(str(p))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()

def floor_docx(p):
    with zipfile.ZipFile(p) as z:
        lxml.etree.fromstring(z.read("word/document.xml"))

def floor_pdf(p):
    with pdfplumber.open(p) as pdf:
        for page in pdf.pages:
            page.find_tables()

FLOORS = {"xlsx": floor_xlsx, "docx": floor_docx, "pdf": floor_pdf}
out = {}
for fmt, paths in files.items():
    paths = [Path(p) for p in paths]
    extract_file(paths[0]); FLOORS[fmt](paths[0])  # warm: imports, caches
    egov = floor = egov_cpu = floor_cpu = 0.0
    for p in paths:
        t, c = time.perf_counter(), time.process_time()
        extracted = extract_file(p)
        egov, egov_cpu = egov + time.perf_counter() - t, egov_cpu + time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        FLOORS[fmt](p)
        floor, floor_cpu = floor + time.perf_counter() - t, floor_cpu + time.process_time() - c
        if not extracted.observations:
            raise SystemExit(f"{p}: egov read nothing")
    out[fmt] = {"files": len(paths), "egov_s": egov, "floor_s": floor, "egov_cpu_s": egov_cpu,
                "floor_cpu_s": floor_cpu}
json.dump(out, sys.stdout)
"""
# which egov: its version, its source, every command path of its CLI (`egov rules list` …)
IDENTITY_CHILD = r"""
import json, typer, egovcli
from egovcli.cli import app
def walk(cmd, path):
    yield path
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        yield from walk(sub, path + [name])
commands = list(walk(typer.main.get_command(app), []))
print(json.dumps({"version": egovcli.__version__, "file": egovcli.__file__, "commands": commands}))
"""
IMPORT_FLOOR = "import sqlite3, zipfile, hashlib, lxml.etree, python_calamine"  # what reading one xlsx needs


@dataclass
class Run:
    """One egov command: wall time, CPU time of its whole tree, peak memory, output lines."""

    wall_s: float
    cpu_s: float
    tree_rss_mb: float
    tree_pss_mb: float
    parent_rss_mb: float
    lines: int
    returncode: int

    def as_dict(self) -> dict[str, float | int]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in self.__dict__.items()}


@dataclass
class Bench:
    egov_bin: Path
    work: Path
    jobs: int
    env: dict[str, str] = field(default_factory=dict)

    @property
    def python(self) -> str:
        return str(self.egov_bin / "python")

    def egov(self, *args: str | Path, sample: bool = True) -> Run:
        """Run `egov ARGS`, sampled from /proc; what it prints (stdout and stderr: both reach the
        terminal) goes to files, as through a pipe to `less`."""
        out, err = self.work / "stdout.txt", self.work / "stderr.txt"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        with out.open("wb") as sink, err.open("wb") as diagnostics:
            proc = subprocess.Popen([str(self.egov_bin / "egov"), *map(str, args)], stdout=sink,
                                    stderr=diagnostics, env=self.env)
            if sample:
                with TreeSampler(proc.pid, interval=0.02) as sampler:
                    proc.wait()
            else:
                proc.wait()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        lines = out.read_bytes().count(b"\n") + err.read_bytes().count(b"\n")
        if not sample:
            return Run(wall, cpu, 0, 0, 0, lines, proc.returncode)
        return Run(wall, cpu, sampler.peak_rss / MB, sampler.peak_pss / MB, sampler.peak_root_rss / MB, lines,
                   proc.returncode)

    def best_of(self, times: int, argv: list[str]) -> tuple[float, float]:
        """The fastest of `times` runs of `argv`: wall and CPU seconds (each its least; CPU time is
        what a busy machine disturbs least)."""
        wall = cpu = float("inf")
        for _ in range(times):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, env=self.env, check=False)
            wall = min(wall, time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return wall, cpu

    def child(self, code: str, *args: str) -> Any:
        done = subprocess.run([self.python, "-c", code, *args], capture_output=True, text=True, env=self.env,
                              check=False)
        if done.returncode:
            raise SystemExit(f"egov's interpreter failed:\n{done.stderr[-2000:]}")
        return json.loads(done.stdout)


def measured_env(environ: Mapping[str, str], work: Path) -> dict[str, str]:
    """The environment egov runs in: no $EGOV_WORKSPACE, and Python's compiled bytecode kept (in
    `work`, never in the measured checkout), as an installed egov has it: with
    PYTHONDONTWRITEBYTECODE set (as in some shells and CI), an editable install recompiles every
    module of egov on every run (~0.2 s of a one-file ingest), which no user pays. egov's own cache
    (the compiled indicator catalogue) is kept in `work` too, never in the user's: the first run
    makes it, as a user's first run does, and the best of several runs is reported."""
    env = {k: v for k, v in environ.items() if k not in ("EGOV_WORKSPACE", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["XDG_CACHE_HOME"] = str(work / "cache")
    return env


def size_mb(path: Path) -> float:
    """The workspace on disk: the database and its write-ahead log."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists()) / MB


def extrapolate(one: float, many: float, count: int, target: int = NATIONAL) -> float:
    """A figure at `target` agencies, linear through its value at 1 and at `count`; never below the
    value at `count` (noise can make the one-agency run the slower)."""
    if count >= target or count <= 1:
        return many
    return max(many, one + (many - one) / (count - 1) * (target - 1))


def egov_identity(bench: Bench) -> tuple[dict[str, str], list[list[str]]]:
    """Which egov is measured (version, source folder, git commit when a checkout), its commands."""
    found = bench.child(IDENTITY_CHILD)
    source = Path(found["file"]).resolve().parent.parent
    commit = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(source), "status", "--porcelain", "--untracked-files=no",
                            "egovcli"], capture_output=True, text=True, check=False).stdout.strip()
    identity = {"version": found["version"], "source": str(source),
                "commit": commit + ("+changes" if dirty else "")}
    # egov's modules compiled once, before anything is timed (`measured_env`: into the bench's folder)
    subprocess.run([bench.python, "-m", "compileall", "-q", str(Path(found["file"]).parent)], env=bench.env,
                   capture_output=True, check=False)
    return identity, found["commands"]


# ── the measurements ───────────────────────────────────────────────────────────


def measure_readers(bench: Bench, files: list[Path], sample: dict[str, int]) -> dict[str, dict[str, float]]:
    by_format: dict[str, list[str]] = {}
    for path in files:
        mine = by_format.setdefault(path.suffix[1:], [])
        if len(mine) < sample[path.suffix[1:]]:
            mine.append(str(path))
    raw = bench.child(READERS_CHILD, json.dumps(by_format))
    out = {}
    for fmt in rounds.FORMATS:
        if fmt in raw:
            r = raw[fmt]
            ms = {k: r[k] / r["files"] * 1000 for k in ("egov_s", "floor_s", "egov_cpu_s", "floor_cpu_s")}
            out[fmt] = {"files": r["files"], "egov_ms": round(ms["egov_s"], 2),
                        "floor_ms": round(ms["floor_s"], 2), "ratio": round(ms["egov_s"] / ms["floor_s"], 2),
                        "egov_cpu_ms": round(ms["egov_cpu_s"], 2),
                        "floor_cpu_ms": round(ms["floor_cpu_s"], 2),
                        "cpu_ratio": round(ms["egov_cpu_s"] / ms["floor_cpu_s"], 2)}
    return out


def measure_fixed(bench: Bench, one_file: Path, commands: list[list[str]], reps: int) -> dict[str, Any]:
    """One-file ingest vs the interpreter importing what it needs, every `--help`."""
    folder = bench.work / "one"
    folder.mkdir(exist_ok=True)
    shutil.copy(one_file, folder / one_file.name)
    ws = bench.work / "one.sqlite"

    def fresh() -> None:
        for p in (ws, Path(f"{ws}-wal"), Path(f"{ws}-shm")):
            p.unlink(missing_ok=True)

    runs = []
    for _ in range(reps):
        fresh()
        runs.append(bench.egov("ingest", folder, "-w", ws))
    one, one_cpu = min(run.wall_s for run in runs), min(run.cpu_s for run in runs)
    floor, floor_cpu = bench.best_of(reps, [bench.python, "-c", IMPORT_FLOOR])
    interpreter, _ = bench.best_of(reps, [bench.python, "-c", "pass"])
    helps, help_cpu = {}, {}
    for c in commands:
        wall, cpu = bench.best_of(reps, [str(bench.egov_bin / "egov"), *c, "--help"])
        helps[" ".join(["egov", *c, "--help"])], help_cpu[" ".join(["egov", *c, "--help"])] = wall, cpu
    return {
        "one_file_ingest_s": round(one, 3), "import_floor_s": round(floor, 3),
        "interpreter_s": round(interpreter, 3), "one_file_ratio": round(one / floor, 1),
        "one_file_ingest_cpu_s": round(one_cpu, 3), "import_floor_cpu_s": round(floor_cpu, 3),
        "one_file_parent_rss_mb": round(max(run.parent_rss_mb for run in runs), 1),
        "help_ms": {k: round(v * 1000, 1) for k, v in helps.items()},
        "help_max_ms": round(max(helps.values()) * 1000, 1),
        "help_cpu_max_ms": round(max(help_cpu.values()) * 1000, 1),
    }


def measure_reingest(bench: Bench, folder: Path, ws: Path, ingested: bool, reps: int) -> dict[str, Any]:
    """A re-ingest of a folder whose files are all unchanged vs hashing them; `ingested`: the
    workspace has read them already (else a first, untimed ingest does)."""
    if not ingested:
        bench.egov("ingest", folder, "-w", ws, "--jobs", str(bench.jobs), sample=False)
    runs = [bench.egov("ingest", folder, "-w", ws, sample=False) for _ in range(reps)]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    hashing = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        for p in files:
            hashlib.sha256(p.read_bytes()).hexdigest()
        hashing = min(hashing, time.perf_counter() - start)
    best = min(run.wall_s for run in runs)
    return {"reingest_files": len(files), "reingest_s": round(best, 3), "hash_s": round(hashing, 4),
            "reingest_ratio": round(best / hashing, 1), "reingest_lines": runs[-1].lines}


def measure_scale(bench: Bench, ws: Path, agencies: int) -> dict[str, Any]:
    """`egov score` and `egov rank` measured at national scale: the re-ingest round's workspace
    (`agencies` agencies, every report really read) copied under new names (" 2", " 3" … after each
    agency's name and key, `national_workspace`) until it holds `NATIONAL` agencies, each with a
    real report's rows. No line from a smaller round: a run's fixed costs and bounded caches (and a
    forked worker's pages) would read as growth."""
    out = bench.work / "out"
    big = national_workspace(ws, bench.work / "national.sqlite", NATIONAL // agencies)
    score = bench.egov("score", "--rules", RULES, "-w", big, "--format", "csv", "--out",
                       out / "national-scores.csv")
    rank = bench.egov("rank", "-w", big, "--format", "csv", "--out", out / "national-ranking.csv")
    count = agencies * (NATIONAL // agencies)
    return {"score_scale": score.as_dict() | {"agencies": count},
            "rank_scale": rank.as_dict() | {"agencies": count}}


def national_workspace(source: Path, target: Path, copies: int) -> Path:
    """`source`'s submissions and their rows `copies` times over (the first as they are, the others
    under new names and paths), its scoring runs left out: a workspace of `copies` × its agencies."""
    shutil.copyfile(source, target)
    for extra in ("-wal", "-shm"):
        Path(f"{target}{extra}").unlink(missing_ok=True)
    db = sqlite3.connect(target)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM score_runs")
        offset = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM submissions").fetchone()[0])
        renamed = {  # the columns a copy changes; the others are copied as they are
            "id": "id + {shift}", "path": "path || ' #{k}'", "display_path": "display_path || ' #{k}'",
            "agency": "agency || ' {k}'", "superseded_by": "superseded_by || ' #{k}'",
            "agency_key": "CASE agency_key WHEN '' THEN '' ELSE agency_key || ' {k}' END",
            "submission_id": "submission_id + {shift}",
        }
        for table in ("submissions", "observations"):
            columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})") if c[1] != "id" or
                       table == "submissions"]
            if table == "observations":
                renamed["agency"] = "CASE agency WHEN '' THEN '' ELSE agency || ' {k}' END"
            for k in range(2, copies + 1):
                values = ", ".join(renamed.get(c, c).format(k=k, shift=offset * (k - 1)) for c in columns)
                db.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table}"
                           f" WHERE {'id' if table == 'submissions' else 'submission_id'} < {offset}")
        db.commit()
    finally:
        db.close()
    return target


def measure_part(bench: Bench, folder: Path, share: int = PART) -> dict[str, Any]:
    """Ingest every `share`-th file of the round (the same mix of formats, so the same libraries
    loaded), into a workspace of its own: beside the whole round, the parent's memory per file."""
    part = bench.work / "part"
    shutil.rmtree(part, ignore_errors=True)
    files = sorted(p for p in folder.rglob("*") if p.is_file())[::share]
    for path in files:
        target = part / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    ws = bench.work / "part.sqlite"
    run = bench.egov("ingest", part, "-w", ws, "--jobs", str(bench.jobs))
    return run.as_dict() | {"files": len(files)}


def measure_round(bench: Bench, folder: Path, files: int, speedup: bool, one_ws: Path,
                  quick: bool) -> dict[str, Any]:
    """Ingest the round (J jobs, and 1 job with `speedup`), score and rank it twice, and the same
    on the one-file workspace for the extrapolation."""
    ws = bench.work / "round.sqlite"
    result: dict[str, Any] = {}
    if speedup:
        single = bench.work / "single.sqlite"
        result["ingest_1job"] = bench.egov("ingest", folder, "-w", single, "--jobs", "1").as_dict()
        for p in (single, Path(f"{single}-wal"), Path(f"{single}-shm")):
            p.unlink(missing_ok=True)
    ingest = bench.egov("ingest", folder, "-w", ws, "--jobs", str(bench.jobs))
    result["ingest"] = ingest.as_dict() | {"files_per_s": round(files / ingest.wall_s, 2)}
    result["ingest_part"] = measure_part(bench, folder)
    result["workspace_mb"] = {"after_ingest": round(size_mb(ws), 2)}
    out = bench.work / "out"
    out.mkdir(exist_ok=True)
    result["score_csv"] = bench.egov("score", "--rules", RULES, "-w", ws, "--format", "csv",
                                     "--out", out / "scores.csv").as_dict()
    result["workspace_mb"]["after_score"] = round(size_mb(ws), 2)
    # the second run prints the terminal table, unless printing it could take the machine down (at
    # 12,000 agencies today: ~20 minutes and ~10 GB): then a second CSV run measures the growth alone
    second = ("--format", "csv", "--out", out / "scores-2.csv") if files > BIG else ()
    result["score_table" if not second else "score_csv_2"] = bench.egov(
        "score", "--rules", RULES, "-w", ws, *second).as_dict()
    result["workspace_mb"]["after_second_score"] = round(size_mb(ws), 2)
    result["rank_csv"] = bench.egov("rank", "-w", ws, "--format", "csv",
                                    "--out", out / "ranking.csv").as_dict()
    if files <= BIG and not quick:  # at national scale, one rank run is minutes today
        result["rank_table"] = bench.egov("rank", "-w", ws).as_dict()
        result["rank_outputs"] = bench.egov("rank", "-w", ws, "--out", out / "ranking.xlsx", "--md",
                                            out / "summary.md", "--html", out / "summary.html").as_dict()
    # the same on the part's workspace (every PART-th file: the same formats and agency groups): how
    # score's and rank's memory grows per agency, with the same libraries and caches loaded
    part_ws, agencies = bench.work / "part.sqlite", result["ingest_part"]["files"]
    result["score_part"] = bench.egov("score", "--rules", RULES, "-w", part_ws, "--format", "csv",
                                      "--out", out / "part-scores.csv").as_dict() | {"agencies": agencies}
    result["rank_part"] = bench.egov("rank", "-w", part_ws, "--format", "csv",
                                     "--out", out / "part-ranking.csv").as_dict() | {"agencies": agencies}
    result["workspace_command"] = subprocess.run(
        [str(bench.egov_bin / "egov"), "workspace", "--help"], capture_output=True, env=bench.env,
        check=False).returncode == 0
    result["one_agency"] = {
        "score_csv": bench.egov("score", "--rules", RULES, "-w", one_ws, "--format", "csv",
                                "--out", out / "one-scores.csv").as_dict(),
        "rank_csv": bench.egov("rank", "-w", one_ws, "--format", "csv", "--out", out / "one.csv").as_dict(),
        "workspace_mb": round(size_mb(one_ws), 3),
    }
    return result


# ── goals ──────────────────────────────────────────────────────────────────────


@dataclass
class Goal:
    id: str
    text: str
    value: float | None
    limit: float | None
    unit: str
    extrapolated: bool = False
    higher_is_better: bool = False

    @property
    def status(self) -> str:
        if self.value is None or self.limit is None:
            return "n/a"
        ok = self.value >= self.limit if self.higher_is_better else self.value <= self.limit
        return "PASS" if ok else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "value": self.value, "limit": self.limit, "unit": self.unit,
                "extrapolated": self.extrapolated, "status": self.status}


def national(results: dict[str, Any], files: int) -> dict[str, Any]:
    """The figures of goals 3, 4 and 6 at 12,000 agencies: measured when the round is that large,
    else linear from the one-agency run and the round."""
    r, one = results["round"], results["round"]["one_agency"]

    def at(single: float, many: float) -> float:
        return round(extrapolate(single, many, files), 1)

    score_s = at(one["score_csv"]["wall_s"], r["score_csv"]["wall_s"])
    rank_s = at(one["rank_csv"]["wall_s"], r["rank_csv"]["wall_s"])
    cpu = {command: at(one[f"{command}_csv"]["cpu_s"], r[f"{command}_csv"]["cpu_s"])
           for command in ("score", "rank")}
    if "score_scale" in r:  # a second, larger round: linear between the two sizes instead
        score_s, rank_s, cpu["score"], cpu["rank"] = (
            round(between(r[f"{command}_csv"][measure], files, r[f"{command}_scale"][measure],
                          r[f"{command}_scale"]["agencies"]), 1)
            for measure in ("wall_s", "cpu_s") for command in ("score", "rank")
        )
    growth = r["workspace_mb"]["after_second_score"] - r["workspace_mb"]["after_score"]
    # the parent's memory: its growth per file between the round and a part of it, both with the same
    # libraries loaded (from a one-file run, the libraries a bigger run loads read as growth)
    slope = growth_per_unit(r["ingest"]["parent_rss_mb"], r["ingest_part"]["parent_rss_mb"], files,
                            r["ingest_part"]["files"])
    parent_rss = round(r["ingest"]["parent_rss_mb"] + slope * max(0, NATIONAL - files), 1)
    # score's and rank's memory the same way: the larger round's peak plus their growth per agency
    # between two rounds run alike (a line from the one-agency run read as growth what fills once:
    # caches, the rule set's objects, the output's buffers): the round and the re-ingest round's
    # workspace, both scored by the same worker processes, or else a third of the round and the round.
    # Of the whole process tree, its proportional share (PSS): forked workers share their parent's
    # pages, which a sum of RSS would count once per process
    rss = {}
    for command in ("score", "rank"):
        if f"{command}_scale" in r:
            large, small = r[f"{command}_scale"], r[f"{command}_csv"]
            agencies, fewer = large["agencies"], files
        else:
            large, small = r[f"{command}_csv"], r[f"{command}_part"]
            agencies, fewer = files, small["agencies"]
        per_agency = growth_per_unit(large["tree_pss_mb"], small["tree_pss_mb"], agencies, fewer)
        rss[command] = (round(large["tree_pss_mb"] + per_agency * max(0, NATIONAL - agencies), 1),
                        round(per_agency * 1024, 1))
    return {
        "files": NATIONAL, "measured": files >= NATIONAL,
        "ingest_min": round(NATIONAL / r["ingest"]["files_per_s"] / 60, 1),  # at the round's rate
        # the same from the CPU time the round took, every job busy: what an idle machine would do
        "ingest_cpu_min": round(r["ingest"]["cpu_s"] / files * NATIONAL / results["meta"]["jobs"] / 60, 1),
        "ingest_parent_rss_mb": parent_rss,
        "ingest_parent_rss_kb_per_file": round(slope * 1024, 1),
        "score_s": score_s, "rank_s": rank_s, "score_rank_s": round(score_s + rank_s, 1),
        # score and rank run on a workspace of 12,000 agencies (`measure_scale`), not extrapolated
        "score_rank_measured": r.get("score_scale", {}).get("agencies", files) >= NATIONAL,
        # CPU time: steadier than wall time on a shared machine (both commands run in one process)
        "score_rank_cpu_s": round(cpu["score"] + cpu["rank"], 1),
        "score_rss_mb": rss["score"][0], "score_rss_kb_per_agency": rss["score"][1],
        "rank_rss_mb": rss["rank"][0], "rank_rss_kb_per_agency": rss["rank"][1],
        "workspace_mb": at(one["workspace_mb"], r["workspace_mb"]["after_ingest"]),
        "score_run_growth_mb": at(0.0, growth),
    }


def between(small: float, count: int, large: float, large_count: int, target: int = NATIONAL) -> float:
    """A figure at `target` agencies, linear through its values at two round sizes; never below the
    larger round's (noise can make the larger round look no slower)."""
    if large_count <= count:
        return large
    return max(large, large + (large - small) / (large_count - count) * (target - large_count))


def growth_per_unit(whole: float, part: float, units: int, part_units: int) -> float:
    """MB per file (or agency) between a part of the round and the whole, never below 0 (noise)."""
    span = units - part_units
    return max(0.0, (whole - part) / span) if span > 0 else 0.0


def goals(results: dict[str, Any]) -> list[Goal]:
    readers, fixed, r, nat = results["readers"], results["fixed"], results["round"], results["national"]
    ext = not nat["measured"]
    scored = not nat.get("score_rank_measured", nat["measured"])  # score and rank extrapolated
    ratio = {fmt: readers.get(fmt, {}).get("cpu_ratio") for fmt in rounds.FORMATS}  # CPU: see `report`
    out = [
        Goal("1.xlsx", ".xlsx reader ÷ calamine raw read", ratio["xlsx"], 2.0, "×"),
        Goal("1.docx", ".docx reader ÷ zipfile + lxml raw read", ratio["docx"], 1.5, "×"),
        Goal("1.pdf", ".pdf reader ÷ pdfplumber find_tables", ratio["pdf"], 0.5, "×"),
        Goal("2.one-file", "one-file `egov ingest`", fixed["one_file_ingest_s"], 0.25, "s"),
        Goal("2.help", "slowest `egov … --help`", fixed["help_max_ms"], 150, "ms"),
        Goal("2.reingest", f"re-ingest of {fixed['reingest_files']} unchanged files", fixed["reingest_s"],
             0.3, "s"),
        Goal("3.ingest-parent", "ingest parent peak RSS at 12,000 files", nat["ingest_parent_rss_mb"], 300,
             "MB", ext),
        Goal("3.score-rss", "score peak memory (tree PSS) at 12,000 agencies", nat["score_rss_mb"], 500,
             "MB", scored),
        Goal("3.rank-rss", "rank peak memory (tree PSS) at 12,000 agencies", nat["rank_rss_mb"], 500, "MB",
             scored),
        Goal("3.score-rank", "score + rank at 12,000 agencies", nat["score_rank_s"], 20, "s", scored),
        Goal("4.growth", "workspace growth of a repeated score run", round(
            r["workspace_mb"]["after_second_score"] - r["workspace_mb"]["after_score"], 2), 0.5, "MB"),
        Goal("4.size", "workspace of 12,000 submissions", nat["workspace_mb"], 1024, "MB", ext),
        Goal("4.prune", "`egov workspace` (prune / vacuum) exists", float(r["workspace_command"]), 1, "yes",
             higher_is_better=True),
        Goal("5.score-lines", "lines `egov score` prints (terminal table)",
             r.get("score_table", {}).get("lines"), 200, "lines"),
        Goal("5.rank-lines", "lines `egov rank` prints (terminal table)",
             r.get("rank_table", {}).get("lines"), 200, "lines"),
        Goal("5.reingest-lines", "lines a re-ingest of unchanged files prints", fixed["reingest_lines"], 20,
             "lines"),
        Goal("6.national", "ingest of 12,000 files (realistic mix)", nat["ingest_min"], 10, "min", ext),
    ]
    return out


# ── output ─────────────────────────────────────────────────────────────────────


def report(results: dict[str, Any], checks: list[Goal]) -> str:
    meta, readers, fixed, r = results["meta"], results["readers"], results["fixed"], results["round"]
    rnd = meta["round"]
    lines = [
        f"egov {meta['egov']['version']} ({meta['egov']['commit'] or meta['egov']['source']}) — round "
        f"'{rnd['name']}': {rnd['files']} files of {rnd['agencies']} agencies "
        f"({', '.join(f'{k} {v}' for k, v in rnd['formats'].items())}), {meta['jobs']} jobs, "
        f"{meta['cpus']} CPUs, load {meta['load']}",
        "timings are noisy on a shared machine: compare ratios from one run",
        "",
        "readers: the same files, egov and floor interleaved; wall ms/file, then CPU ms/file (which a busy",
        "machine disturbs least: the goals use the CPU ratio)",
        f"{'':62}egov    floor   ratio    egov    floor   ratio",
    ]
    floors = {"xlsx": "python-calamine raw read", "docx": "zipfile + lxml document.xml",
              "pdf": "pdfplumber find_tables"}
    for fmt, f in readers.items():
        lines.append(f"  .{fmt:5} {f['files']:3} files vs {floors[fmt]:28} {f['egov_ms']:9.1f}"
                     f" {f['floor_ms']:8.1f} {f['ratio']:6.2f}× {f['egov_cpu_ms']:8.1f}"
                     f" {f['floor_cpu_ms']:8.1f} {f['cpu_ratio']:6.2f}×")
    ing = r["ingest"]
    lines += [
        "",
        "fixed costs",
        f"  one-file `egov ingest`        {fixed['one_file_ingest_s']:7.3f} s   floor (python + imports)"
        f" {fixed['import_floor_s']:.3f} s   {fixed['one_file_ratio']}×   (bare interpreter"
        f" {fixed['interpreter_s']:.3f} s); CPU time {fixed['one_file_ingest_cpu_s']:.3f} s vs"
        f" {fixed['import_floor_cpu_s']:.3f} s",
        f"  re-ingest {fixed['reingest_files']} unchanged files  {fixed['reingest_s']:6.3f} s   floor"
        f" (hashing them) {fixed['hash_s']:.3f} s   {fixed['reingest_ratio']}×"
        f"   ({fixed['reingest_lines']} lines printed)",
        *(f"  {cmd:38} {ms:7.0f} ms" for cmd, ms in fixed["help_ms"].items()),
        f"  slowest --help in CPU time {fixed['help_cpu_max_ms']:.0f} ms",
        "",
        f"round ({rnd['files']} files)",
        f"  ingest --jobs {meta['jobs']}   {ing['wall_s']:8.2f} s  {ing['files_per_s']:7.2f} files/s  CPU"
        f" {ing['cpu_s']:.1f} s (CPU ÷ wall {ing['cpu_s'] / ing['wall_s']:.2f})  peak RSS tree"
        f" {ing['tree_rss_mb']:.0f} MB (PSS {ing['tree_pss_mb']:.0f}), parent {ing['parent_rss_mb']:.0f} MB",
        f"  ingest of 1 file in {PART} ({r['ingest_part']['files']} files): parent"
        f" {r['ingest_part']['parent_rss_mb']:.0f} MB → the parent grows"
        f" {results['national']['ingest_parent_rss_kb_per_file']:g} kB per file",
    ]
    if "ingest_1job" in r:
        single = r["ingest_1job"]
        lines.append(f"  ingest --jobs 1   {single['wall_s']:8.2f} s   parallel speed-up (1 job ÷"
                     f" {meta['jobs']} jobs) {single['wall_s'] / ing['wall_s']:.2f}×")
    for key, what in (("score_csv", "score --format csv"), ("score_table", "score (terminal table)"),
                      ("score_csv_2", "score --format csv (again)"), ("rank_csv", "rank --format csv"),
                      ("rank_table", "rank (terminal table)"),
                      ("rank_outputs", "rank --out .xlsx --md --html"),
                      ("score_scale", f"score --format csv ({r.get('score_scale', {}).get('agencies')})"),
                      ("rank_scale", f"rank --format csv ({r.get('rank_scale', {}).get('agencies')})")):
        if key in r:
            run = r[key]
            lines.append(f"  {what:30} {run['wall_s']:8.2f} s (CPU {run['cpu_s']:6.1f} s)  peak RSS tree"
                         f" {run['tree_rss_mb']:6.0f} MB"
                         f"  {run['lines']:6} lines printed" + ("" if run["returncode"] == 0 else
                                                                f"  EXIT {run['returncode']}"))
    ws = r["workspace_mb"]
    lines += [f"  workspace {ws['after_ingest']:.1f} MB after ingest, {ws['after_score']:.1f} MB after score,"
              f" {ws['after_second_score']:.1f} MB after a second score run"]
    nat = results["national"]
    how = "measured" if nat["measured"] else \
        ("extrapolated: ingest at this round's files/s, times linearly from one agency and this round,"
         " memory from its growth per file or agency beyond a third of this round"
         + ("; score and rank measured on a workspace of 12,000 agencies (the re-ingest round's copied"
            " under new names)" if nat.get("score_rank_measured") else ""))
    lines += [
        "",
        f"at {NATIONAL:,} agencies ({how})",
        f"  ingest {nat['ingest_min']} min (CPU time ÷ {meta['jobs']} jobs: {nat['ingest_cpu_min']} min),"
        f" parent {nat['ingest_parent_rss_mb']:.0f} MB;"
        f" score {nat['score_s']} s ({nat['score_rss_mb']:.0f} MB, +{nat['score_rss_kb_per_agency']:g} kB"
        f" per agency); rank {nat['rank_s']} s ({nat['rank_rss_mb']:.0f} MB,"
        f" +{nat['rank_rss_kb_per_agency']:g} kB per agency), CPU of both {nat['score_rank_cpu_s']} s;"
        f" workspace"
        f" {nat['workspace_mb']:.0f} MB, +{nat['score_run_growth_mb']:.0f} MB per score run",
        "",
        f"{'goal (issue 15)':58} {'value':>10} {'limit':>8}  status",
    ]
    for g in checks:
        value = "—" if g.value is None else f"{'~' if g.extrapolated else ''}{g.value:g}"
        lines.append(f"  {g.id:17}{g.text:41} {value:>10} {g.limit:>7g} {g.unit:<5} {g.status}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", choices=ROUNDS, default="province")
    parser.add_argument("--egov", type=Path, default=Path(sys.executable).parent,
                        help="bin folder of the egov to measure (default: this interpreter's)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, default=None, help="write every figure here as JSON")
    parser.add_argument("--work", type=Path, default=None, help="keep the round and workspaces here")
    parser.add_argument("--cache", type=Path, default=None, help="PDFs kept between runs (rounds.py)")
    parser.add_argument("--files", type=int, default=None,
                        help="keep the round's first N files (e.g. --round national --files 2000)")
    parser.add_argument("--reingest-files", type=int, default=1000,
                        help="unchanged .xlsx files re-ingested (with --quick: the round itself)")
    parser.add_argument("--speedup", action=argparse.BooleanOptionalAction, default=None,
                        help="also ingest with 1 job (default: for rounds under 1,000 files)")
    parser.add_argument("--quick", action="store_true",
                        help="one repetition, `egov --help` only, no 1-job run nor terminal rank (tests)")
    args = parser.parse_args(argv)
    egov_bin = args.egov.absolute()
    if not (egov_bin / "egov").exists():
        parser.error(f"{egov_bin}/egov not found: --egov takes a virtualenv's bin folder")
    work = args.work or Path(tempfile.mkdtemp(prefix="egov-bench-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    env = measured_env(os.environ, work)
    bench = Bench(egov_bin, work, args.jobs, env)
    try:
        provinces, departments, communes, keep = ROUNDS[args.round]
        planned = rounds.plan_round(provinces, departments, communes, ROUND_MIX.get(args.round))
        planned = planned[:args.files or keep]
        started = time.perf_counter()
        files = rounds.write_round(planned, work / "round", args.cache)
        generated = time.perf_counter() - started
        reps = 1 if args.quick else 3
        identity, commands = egov_identity(bench)
        results: dict[str, Any] = {"schema": 1, "meta": {
            "egov": identity, "jobs": args.jobs, "cpus": os.cpu_count(),
            "load": round(os.getloadavg()[0], 2), "python": platform.python_version(),
            "round": {"name": args.round if args.files is None else f"{args.round}[:{args.files}]",
                      "files": len(files),
                      "agencies": len({p.unit.name for p in planned}),
                      "formats": dict(Counter(p.suffix[1:] for p in files)),
                      "generate_s": round(generated, 1)},
        }}
        sample = {fmt: 2 for fmt in SAMPLE} if args.quick else SAMPLE
        results["readers"] = measure_readers(bench, files, sample)
        one_file = next(p for p in files if p.suffix == ".xlsx")
        results["fixed"] = measure_fixed(bench, one_file, commands[:1] if args.quick else commands, reps)
        speedup = args.speedup if args.speedup is not None else len(files) <= BIG
        results["round"] = measure_round(bench, work / "round", len(files), speedup and not args.quick,
                                         work / "one.sqlite", args.quick)
        if args.quick:  # the round itself, read already
            reingest = measure_reingest(bench, work / "round", work / "round.sqlite", True, reps)
        else:
            plan = rounds.plan_round(9, 20, 100, mix={"xlsx": 1.0})[:args.reingest_files]
            rounds.write_round(plan, work / "reingest", args.cache)
            reingest = measure_reingest(bench, work / "reingest", work / "reingest.sqlite", False, reps)
        results["fixed"] |= reingest
        if not args.quick and len(files) < NATIONAL:  # the re-ingest round: a second round size
            results["round"] |= measure_scale(bench, work / "reingest.sqlite", reingest["reingest_files"])
        results["national"] = national(results, len(files))
        checks = goals(results)
        results["goals"] = [g.as_dict() for g in checks]
        print(report(results, checks))
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"\n{args.json}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
