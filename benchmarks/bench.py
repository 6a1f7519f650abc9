"""Throughput benchmark: ingest → score → rank on a synthetic round built from the samples.

Usage: python benchmarks/bench.py [--copies N] [--jobs J]
Copies every sample report N times (each copy a distinct agency folder), then times each stage
and prints files/s per format and an extrapolation to a national round of 12,000 submissions.
Timing goals live here, never in the unit tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from egovcli import api
from egovcli.ingest import extract_file, ingest_folder
from egovcli.workspace import Workspace

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"
NATIONAL_ROUND = 12_000


def build_round(target: Path, copies: int) -> list[Path]:
    """`copies` folders, each holding every sample report (agency = folder name per copy)."""
    files = []
    for i in range(copies):
        folder = target / f"dot-{i:04d}"
        folder.mkdir(parents=True)
        for report in sorted(SAMPLES.glob("*.*")):
            if report.suffix in (".docx", ".xlsx", ".pdf"):
                files.append(Path(shutil.copy(report, folder / report.name)))
    return files


def per_format(files: list[Path]) -> None:
    """Single-process extraction time per format (one file of each)."""
    seen: set[str] = set()
    for path in files:
        if path.suffix in seen:
            continue
        seen.add(path.suffix)
        start = time.perf_counter()
        for _ in range(3):
            extract_file(path)
        ms = (time.perf_counter() - start) / 3 * 1000
        print(f"  extract {path.suffix:5} {ms:8.1f} ms/file ({path.name})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = build_round(root / "round", args.copies)
        counts = Counter(p.suffix for p in files)
        print(f"{len(files)} files ({dict(counts)}), {args.jobs} jobs")
        per_format(files)
        with Workspace(root / "ws.sqlite") as ws:
            start = time.perf_counter()
            ingest_folder(root / "round", ws, jobs=args.jobs)
            ingest_s = time.perf_counter() - start
            start = time.perf_counter()
            api.score_workspace(ws, "hanam-2022")
            score_s = time.perf_counter() - start
            start = time.perf_counter()
            result = api.rank_workspace(ws)
            api.write_rank_outputs(result, xlsx=root / "r.xlsx", md=root / "s.md", html=root / "s.html")
            rank_s = time.perf_counter() - start
        rate = len(files) / ingest_s
        print(f"  ingest {ingest_s:7.2f} s  ({rate:.1f} files/s)")
        print(f"  score  {score_s:7.2f} s")
        print(f"  rank   {rank_s:7.2f} s  (workbook + summaries)")
        minutes = NATIONAL_ROUND / rate / 60
        print(f"  a national round of {NATIONAL_ROUND} files at this mix: ~{minutes:.1f} min ingest")


if __name__ == "__main__":
    main()
