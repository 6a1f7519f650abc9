"""Ingest stage: report files → observations in the workspace.

Three layers, each a package or module of its own:

- `readers`: one module per format (xlsx, sheetxml, xls, docx, pdf, legacy) and `safety` (the
  limits and the checks made before a library opens a file): bytes → cells, lines and tables that
  know where they came from, handed to `layout.interpret`;
- `layout`: format-independent interpretation of those cells and lines (header, tables, lines,
  labels, tick boxes, identity, published ranking tables) into observations, agency, period, date;
- the batch: `walk` (which files of a folder, named how), `extract` (one file read safely: size,
  real type, the reader for it), `workers` (each file in a process of its own, within the limits)
  and `batch` (`ingest_folder`: store each result as soon as it is read).

The entry points are re-exported here: `from egovcli.ingest import ingest_folder`.
"""

from egovcli.ingest.batch import FileResult, IngestReport, ingest_folder
from egovcli.ingest.extract import EXTRACTORS, exception_problem, extract_file
from egovcli.ingest.readers.safety import Limits
from egovcli.ingest.walk import walk
from egovcli.ingest.workers import extract_isolated

__all__ = [
    "EXTRACTORS",
    "FileResult",
    "IngestReport",
    "Limits",
    "exception_problem",
    "extract_file",
    "extract_isolated",
    "ingest_folder",
    "walk",
]
