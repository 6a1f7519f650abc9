"""Opening the workspace file (refusing what is not one), upgrading it, transactions, locks and
the errors a full disk or another writer give."""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, Self

from egovcli.problems import EgovError
from egovcli.textnorm import vi_number
from egovcli.workspace.schema import SCHEMA, SCHEMA_VERSION, UPGRADES, upgrade

DEFAULT_PATH = "egov.sqlite"
BUSY_TIMEOUT_ENV = "EGOV_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds: far longer than any one file's transaction
_LONGEST_WAIT = 86_400.0  # a day; SQLite's busy timeout (int milliseconds) silently wraps above ~24 days
_SQLITE_HEADER = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite's files beside the workspace
_WAL_LIMIT = 64 * 1024 * 1024  # bytes


class WorkspaceError(EgovError):
    """The workspace cannot be opened, written or is locked; the message tells the user what to do."""

    code = "E-WORKSPACE"


_FOREIGN = "E-WORKSPACE-FOREIGN"  # a file that is not an egov workspace


class Connection:
    """A connection to the SQLite workspace file: opening, upgrading, transactions, locks, meta."""

    _batch: Batch | None = None  # the transactions being grouped (`batched`)

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout: float | None = None,
        readonly: bool = False,
        create: bool = True,
    ) -> None:
        """Open the workspace (`create`: or make a new one; `created` then says so); wait up to
        `busy_timeout` seconds for another writer (default: `$EGOV_BUSY_TIMEOUT`, else 30).
        `readonly`: the caller only reads, so a workspace of the current version is opened without
        taking the write lock (a running ingest or score does not hold it up); one still to be
        upgraded is opened as usual. A missing workspace (without `create`) or a file that is not
        one is a WorkspaceError, and nothing is created or changed."""
        self.path = Path(path)
        self.closed = False  # `close` was called: a lazy reader opens the file again (`readonly`)
        self.busy_timeout = resolve_busy_timeout(busy_timeout)
        self.created = _check_file(self.path, create)
        try:
            if self.created:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise WorkspaceError(f"Không mở được workspace {self.path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        if not self.created:
            self._check_tables(create)
        if readonly and self._current():
            return
        try:
            self._write_ahead_log()
            # a scoring run of a national round writes ~100 MB in one transaction: the log beside the
            # workspace shrinks back to this once checkpointed, instead of keeping its largest size
            self.db.execute(f"PRAGMA journal_size_limit={_WAL_LIMIT}")
            self.db.execute("PRAGMA foreign_keys=ON")
            # idempotent DDL and a write (a workspace that stays locked is reported now, before any work
            # is done), in one transaction: a new workspace costs one sync of the log, not one a table
            self.db.executescript(
                f"BEGIN IMMEDIATE;\n{SCHEMA}\nINSERT OR IGNORE INTO meta(key, value)"
                f" VALUES ('schema_version', '{SCHEMA_VERSION:d}');\nCOMMIT;"
            )
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
            if version in UPGRADES:
                self._upgrade()
                version = str(SCHEMA_VERSION)
        except (sqlite3.DatabaseError, WorkspaceError) as exc:
            self.db.close()
            if isinstance(exc, WorkspaceError):
                raise
            if is_busy(exc):
                raise self._locked(exc) from exc
            raise WorkspaceError(f"Không mở được workspace {self.path}: {exc}") from exc
        if version != str(SCHEMA_VERSION):
            self.db.close()
            raise WorkspaceError(
                f"Workspace {self.path} được tạo bởi phiên bản egov khác"
                f" (lược đồ {version}, cần {SCHEMA_VERSION}): "
                "hãy dùng một tệp workspace mới (--workspace) và chạy lại 'egov ingest'."
            )

    def _write_ahead_log(self) -> None:
        """The workspace in WAL mode. Switching a file to it takes an exclusive lock that SQLite does
        not wait for (the busy timeout does not apply: "database is locked" at once), so two egov
        commands opening one new workspace together would fail the second at once; it is asked
        again until the busy timeout has passed."""
        deadline, pause = time.monotonic() + self.busy_timeout, 0.001
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(2 * pause, 0.05)

    def _check_tables(self, create: bool) -> None:
        """Refuse a SQLite database that is not an egov workspace (before anything is written)."""
        try:
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if is_busy(exc):
                raise self._locked(exc) from exc
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
                raise WorkspaceError(_not_a_workspace(self.path, str(exc)), code=_FOREIGN) from exc
            raise WorkspaceError(f"Không mở được workspace {self.path}: {exc}") from exc
        if "meta" in tables or (create and not tables):  # an egov workspace, or a new one never filled
            self.created = not tables
            return
        self.db.close()
        why = "cơ sở dữ liệu SQLite trống" if not tables else "một cơ sở dữ liệu SQLite khác"
        raise WorkspaceError(_not_a_workspace(self.path, why), code=_FOREIGN)

    def _current(self) -> bool:
        """Whether the file already holds a workspace of this version (read without any lock)."""
        try:
            found = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        except sqlite3.DatabaseError:
            return False  # a new file, another database, or not a database: the usual open says so
        return [tuple(r) for r in found] == [(str(SCHEMA_VERSION),)]

    def _upgrade(self) -> None:
        """An older schema to the current one in place, in one transaction (`schema.upgrade`)."""
        with self.transaction() as db:
            version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
            if version not in UPGRADES:
                return  # another process upgraded it meanwhile
            upgrade(db)

    def close(self) -> None:
        self.db.close()
        self.closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; a lock that outlasts the busy
        timeout is a `WorkspaceError`. Inside `batched`, a savepoint of the batch's transaction."""
        if self._batch is not None:
            with self._batch.part() as db:
                yield db
            return
        self._begin()
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            self._reraise(exc)

    @contextmanager
    def batched(self, *, every: int = 200, seconds: float = 2.0) -> Iterator[Batch]:
        """Every `transaction` inside is a savepoint of one transaction, committed once it holds
        `every` of them or is `seconds` old, when `Batch.commit` is called (a caller about to wait)
        and on leaving — an exception or Ctrl-C included: what each completed transaction wrote is
        kept whole, a failed one's is rolled back (one disk sync per batch, not per file)."""
        batch = self._batch = Batch(self, every, seconds)
        try:
            yield batch
        except BaseException:
            self._batch = None
            with contextlib.suppress(sqlite3.Error, WorkspaceError):  # keep the error that matters
                batch.commit()
            self._rollback()
            raise
        self._batch = None
        batch.commit()

    def _begin(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise self._locked(exc) from exc
            raise

    def _rollback(self) -> None:
        if self.db.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
            with contextlib.suppress(sqlite3.Error):  # keep the error that matters
                self.db.execute("ROLLBACK")

    def _reraise(self, exc: BaseException) -> NoReturn:
        """Raise what a failed write is reported as: a lock or a full disk as a `WorkspaceError`,
        anything else as it is."""
        if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
            raise self._locked(exc) from exc
        if isinstance(exc, sqlite3.DatabaseError) and _is_full(exc):
            raise WorkspaceError(
                f"Không ghi được vào workspace {self.path}: hết chỗ trên đĩa, vượt giới hạn dung lượng"
                f" tệp hoặc lỗi ghi đĩa ({exc}). Workspace giữ nguyên như lần ghi trọn vẹn cuối cùng;"
                " hãy giải phóng dung lượng rồi chạy lại lệnh.",
                code="E-WORKSPACE-FULL",
            ) from exc
        raise exc

    def _locked(self, exc: sqlite3.Error) -> WorkspaceError:
        return WorkspaceError(
            f"Workspace {self.path} đang bị một tiến trình khác khoá"
            f" (đã chờ {vi_number(self.busy_timeout, 3)} giây; {exc})."
            " Hãy đợi lệnh egov đang ghi vào workspace này chạy xong rồi chạy lại,"
            f" hoặc tăng thời gian chờ bằng biến môi trường {BUSY_TIMEOUT_ENV} (số giây).",
            code="E-WORKSPACE-LOCKED",
        )

    # -- meta ------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


class Batch:
    """Transactions grouped into one (`Connection.batched`)."""

    def __init__(self, connection: Connection, every: int, seconds: float) -> None:
        self.connection, self.every, self.seconds = connection, every, seconds
        self.parts = 0
        self.began = 0.0

    @contextmanager
    def part(self) -> Iterator[sqlite3.Connection]:
        """One transaction of the batch: a savepoint, rolled back alone on any error."""
        conn = self.connection
        if not conn.db.in_transaction:  # the write lock is taken by the first write, not before
            conn._begin()
            self.parts, self.began = 0, time.monotonic()
        conn.db.execute("SAVEPOINT part")
        try:
            yield conn.db
            conn.db.execute("RELEASE part")
        except BaseException as exc:
            if conn.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.db.execute("ROLLBACK TO part")
                    conn.db.execute("RELEASE part")
            conn._reraise(exc)
        self.parts += 1
        if self.parts >= self.every or time.monotonic() - self.began >= self.seconds:
            self.commit()

    def commit(self) -> None:
        """Commit what the batch holds, if anything."""
        conn = self.connection
        if not conn.db.in_transaction:
            return
        try:
            conn.db.execute("COMMIT")
        except BaseException as exc:
            conn._rollback()
            conn._reraise(exc)


def _check_file(path: Path, create: bool) -> bool:
    """Whether `path` is to be a new workspace; WorkspaceError when it is missing and not to be
    created, or is plainly not a workspace (a folder, a file that is not SQLite). Reads 16 bytes."""
    try:
        with path.open("rb") as f:
            head = f.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        if create:
            return True
        raise WorkspaceError(
            f"không tìm thấy workspace '{path}' — hãy chạy egov ingest trước"
            " (hoặc chỉ đúng tệp bằng --workspace hay biến môi trường EGOV_WORKSPACE).",
            code="E-WORKSPACE-MISSING",
        ) from None
    except IsADirectoryError:
        raise WorkspaceError(_not_a_workspace(path, "đây là một thư mục"), code=_FOREIGN) from None
    except OSError as exc:
        raise WorkspaceError(f"Không mở được workspace {path}: {exc.strerror or exc}") from exc
    if not head and create:
        return True  # an empty file is what SQLite itself starts a database from
    if head != _SQLITE_HEADER:
        why = "tệp rỗng" if not head else "không phải cơ sở dữ liệu SQLite"
        raise WorkspaceError(_not_a_workspace(path, why), code=_FOREIGN)
    return False


def _not_a_workspace(path: Path, why: str) -> str:
    return (
        f"'{path}' không phải workspace egov ({why}); tệp được giữ nguyên. Hãy chỉ đúng workspace bằng"
        " --workspace, hoặc dùng một tệp mới cho egov ingest."
    )


def _is_full(exc: sqlite3.Error) -> bool:
    """SQLITE_FULL, or an I/O error writing (a file-size limit is a short write, then EFBIG)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)
    return "full" in str(exc) or "I/O" in str(exc)


def is_busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED (any extended code): another connection holds the lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def resolve_busy_timeout(given: float | None = None) -> float:
    """How long to wait for another writer, in seconds: `given`, else $EGOV_BUSY_TIMEOUT, else 30
    (at most a day)."""
    if given is None:
        text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
        if not text:
            return DEFAULT_BUSY_TIMEOUT
        try:
            given = float(text.replace(",", "."))
        except ValueError:
            given = math.nan
        if not 0 <= given < math.inf:
            raise WorkspaceError(
                f"{BUSY_TIMEOUT_ENV}='{text}' không hợp lệ: cần số giây chờ khi workspace đang bị khoá"
                " (ví dụ 30)."
            )
    return min(max(0.0, given), _LONGEST_WAIT)


def resolve_path(option: str | None) -> Path:
    """--workspace PATH, else $EGOV_WORKSPACE, else ./egov.sqlite."""
    return Path(option or os.environ.get("EGOV_WORKSPACE") or DEFAULT_PATH)
