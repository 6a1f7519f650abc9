"""Where outputs may go, and writing them atomically: a temp file in the target's folder, renamed over it.

The rules for a target (`--out`, `--md`, `--html`), checked in `check_target` before any work and
again when writing:

- `-` is stdout (the caller writes there; `write_text` does).
- A symbolic link is followed: its target is replaced atomically and the link stays a link.
- A character device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe) is written to
  directly, never renamed over; a block device is refused.
- A directory is refused.
- A protected path — the workspace database and its `-wal` / `-shm` / `-journal` files, an input
  report, the rule set, the adjustments or registry CSV — is refused: the caller passes them in.

Any failure while writing (disk full, a file-size limit, no permission…) is an `OutputError` with a
Vietnamese message; the temp file (`.egov-*`) is removed whatever happened, even on Ctrl-C, and an
existing target is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from egovcli.problems import EgovError

STDOUT = "-"
Protected = Mapping[str | os.PathLike[str], str]  # path → what it is ("workspace", "tệp đầu vào…")
_FULL = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))  # disk, file size, quota


class OutputError(EgovError):
    """An output cannot be written where asked; the message says where and why."""

    code = "E-OUTPUT-REFUSED"


def check_target(target: str | os.PathLike[str], protected: Protected | None = None) -> None:
    """Refuse a target that must not be written: a directory, a block device, a protected path."""
    if os.fspath(target) == STDOUT:
        return
    path = Path(target)
    found = _stat(path)
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise OutputError(f"'{path}' là một thư mục: hãy ghi ra một tệp (ví dụ {path / 'ket-qua.xlsx'}).")
    if found is not None and stat.S_ISBLK(found.st_mode):
        raise OutputError(f"'{path}' là một thiết bị khối (ổ đĩa): egov không ghi vào đó.")
    if role := _protected_role(path, found, protected or {}):
        raise OutputError(f"'{path}' là {role}: egov không ghi đè lên nó. Hãy ghi ra một tệp khác.")


def is_special(target: str | os.PathLike[str]) -> bool:
    """A character device, FIFO or socket: written to directly (and has no format of its own)."""
    mode = _mode(Path(target))
    return mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode))


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str], protected: Protected | None = None
) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes `target` in one step.

    The target path is taken literally (no globbing, no shell). On error the temp file is removed
    and an existing target is left untouched. The data reaches the disk before the rename, so even a
    power cut leaves either the old file or the whole new one, never an empty one. A special file
    (see the module doc) gets the bytes copied into it instead.
    """
    target = Path(target)
    check_target(target, protected)
    special = is_special(target)
    # a symlink's target is what gets replaced; the link itself stays
    final = target if special else Path(os.path.realpath(target))
    folder = Path(tempfile.gettempdir()) if special else final.parent
    tmp_path: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".egov-", suffix=final.suffix, dir=folder)
        os.close(fd)
        tmp_path = Path(tmp)
        if special:
            yield tmp_path
            _copy_into(tmp_path, target)
        else:
            os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are ordinary files
            yield tmp_path
            _fsync(tmp_path)
            os.replace(tmp_path, final)
            tmp_path = None
            with contextlib.suppress(OSError):  # the rename itself; not possible on every file system
                _fsync(final.parent)
    except OSError as exc:
        raise OutputError(_write_failed(target, exc), code="E-OUTPUT-FAILED") from exc
    finally:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)


def write_text(
    target: str | os.PathLike[str], text: str, protected: Protected | None = None
) -> None:
    """Write `text` as UTF-8 to `target` atomically, or to stdout when `target` is `-`."""
    if os.fspath(target) == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with atomic_path(target, protected) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _copy_into(source: Path, target: Path) -> None:
    """Write `source`'s bytes into the special file `target`, without creating or renaming anything."""
    with source.open("rb") as src:
        if stat.S_ISSOCK(os.stat(target).st_mode):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(os.fspath(target))
                sock.sendfile(src)
            return
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY)  # never O_CREAT / O_TRUNC: it exists
        with open(fd, "wb") as dst:
            shutil.copyfileobj(src, dst)


def _write_failed(target: Path, exc: OSError) -> str:
    if exc.errno in _FULL:
        return (
            f"Không ghi được '{target}': hết chỗ trên đĩa (hoặc vượt giới hạn dung lượng tệp)"
            f" — {exc.strerror}. Tệp cũ (nếu có) được giữ nguyên; hãy giải phóng dung lượng rồi chạy lại."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Không ghi được '{target}': không có quyền ghi ({exc.strerror})."
    return f"Không ghi được '{target}': {exc.strerror or exc}."


def _mode(path: Path) -> int | None:
    found = _stat(path)
    return None if found is None else found.st_mode


def _stat(path: str | os.PathLike[str]) -> os.stat_result | None:
    try:
        return os.stat(path)  # follows symlinks: a link is judged by what it points at
    except OSError:
        return None


def _protected_role(path: Path, found: os.stat_result | None, protected: Protected) -> str:
    """What `path` (`found`: its stat, None if it does not exist) is among the `protected` files,
    whatever the spelling (links, `..`, hard links); "" for none. Two existing files are the same by
    device and inode; otherwise by their resolved paths (a file not yet there resolves to no existing
    one). One stat per protected file: a national workspace protects 12,000 stored reports."""
    resolved = ""
    for other, role in protected.items():
        theirs = _stat(other)
        if found is not None and theirs is not None:
            if os.path.samestat(found, theirs):
                return role
        elif theirs is None:  # not there (a workspace's -wal file, a report moved away): by path
            resolved = resolved or os.path.realpath(path)
            if _other_name(other, resolved) and resolved == os.path.realpath(other):
                return role
    return ""


def _other_name(other: str | os.PathLike[str], resolved: str) -> bool:
    """Whether `other`, a path with no file behind it, may still resolve to `resolved`: when nothing
    at all is there (not even a broken link), its resolved path ends with its own last name, so
    another name cannot match (no walk of its folders per report moved away since it was read)."""
    name = os.path.basename(os.fspath(other))
    if name in ("", ".", "..") or name == os.path.basename(resolved):
        return True
    try:
        os.lstat(other)
    except OSError:
        return False
    return True  # a broken link: resolved through it



def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
