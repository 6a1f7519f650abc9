"""The workspace (being split into a package by concern; `store` holds it for now)."""

from egovcli.workspace.store import (
    BUSY_TIMEOUT_ENV,
    COMPANIONS,
    DEFAULT_BUSY_TIMEOUT,
    DEFAULT_PATH,
    REVIEWED,
    SCHEMA_VERSION,
    NewSubmission,
    Submission,
    Workspace,
    WorkspaceError,
    resolve_busy_timeout,
    resolve_path,
)

__all__ = [
    "BUSY_TIMEOUT_ENV",
    "COMPANIONS",
    "DEFAULT_BUSY_TIMEOUT",
    "DEFAULT_PATH",
    "REVIEWED",
    "SCHEMA_VERSION",
    "NewSubmission",
    "Submission",
    "Workspace",
    "WorkspaceError",
    "resolve_busy_timeout",
    "resolve_path",
]
