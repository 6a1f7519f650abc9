"""The workspace: one SQLite file holding submissions, observations with provenance, and scores.

Each file's ingest is one transaction: re-ingesting an unchanged file (same content hash) changes
nothing; a changed file replaces its rows atomically. Of the submissions from one agency for one
period, an earlier one that a later counting one repeats is kept with status `superseded`; the others
all count, the later one's values first (the policy is `supersession.settle`;
`settling.settle` stores it).

Only `create=True` (egov ingest) makes a new workspace; every other command needs an existing one,
and a file that is not an egov workspace (a report, an empty file, another SQLite database) is
refused and left untouched. A write that fails because the disk is full leaves the last committed
state and is a `WorkspaceError` saying so.

Crashes and concurrency: the file is in WAL mode, so a process killed mid-ingest (even SIGKILL inside
a transaction) leaves the last committed state, and readers never wait for a writer (a read-only
command opens the workspace with `readonly=True`). Writers take turns: a process that finds the
workspace locked waits up to the busy timeout (`busy_timeout` argument, else `$EGOV_BUSY_TIMEOUT` in
seconds, else 30 s), then gets a `WorkspaceError` saying so.

The package by concern: `connection` opens the file (refusing what is not a workspace), upgrades
it, runs transactions and reports locks and a full disk; `schema` holds the tables; `records` the
submission records; `settling` stores the supersession decision; `runs` the scoring runs (one packed
row per agency, what replaces what, prune, vacuum, info); `store` is the `Workspace` itself
(submissions, observations, and the runs of `runs`).
"""

from egovcli.workspace.connection import (
    BUSY_TIMEOUT_ENV,
    COMPANIONS,
    DEFAULT_BUSY_TIMEOUT,
    DEFAULT_PATH,
    WorkspaceError,
    resolve_busy_timeout,
    resolve_path,
)
from egovcli.workspace.records import NewSubmission, StoredFile, Submission
from egovcli.workspace.schema import SCHEMA_VERSION
from egovcli.workspace.store import REVIEWED, Workspace

__all__ = [
    "BUSY_TIMEOUT_ENV",
    "COMPANIONS",
    "DEFAULT_BUSY_TIMEOUT",
    "DEFAULT_PATH",
    "REVIEWED",
    "SCHEMA_VERSION",
    "NewSubmission",
    "StoredFile",
    "Submission",
    "Workspace",
    "WorkspaceError",
    "resolve_busy_timeout",
    "resolve_path",
]
