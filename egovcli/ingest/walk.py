"""Which files of a folder are read, how each is named, and its identity: the folder walk of
`ingest_folder`."""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from egovcli.problems import Problem, problem
from egovcli.untrusted import storable


def walk(folder: Path) -> Iterator[tuple[Path, Problem | None]]:
    """Every entry below `folder` in a stable order, with why it is skipped (None: a file to read).

    Only regular files are read (checked with lstat, so a link never leads outside the folder);
    links, FIFOs, sockets and devices, and Office lock files (~$…) are skipped with a note;
    hidden files and folders (.DS_Store, .git) silently. Folders are never followed through links.
    """
    for relative, skip, _info in scan(folder):
        yield folder / relative, skip


def scan(folder: Path) -> Iterator[tuple[str, Problem | None, os.stat_result | None]]:
    """`walk`, each entry as its path relative to `folder` ("/"-separated) and, for a file to read,
    its lstat (size and modification time: no second stat, no path object for a file left as it was)."""
    yield from _scan(os.fspath(folder), "")


def _scan(top: str, prefix: str) -> Iterator[tuple[str, Problem | None, os.stat_result | None]]:
    try:
        with os.scandir(top) as found:
            entries = list(found)
    except OSError:  # unreadable or vanished: nothing below it (as os.walk)
        return
    files: list[os.DirEntry[str]] = []
    dirs: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # (a link to a folder too: skipped below, never followed)
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    shown = [e for e in sorted(files, key=_name) if not e.name.startswith(".")]
    shown += sorted((d for d in dirs if not d.name.startswith(".") and d.is_symlink()), key=_name)
    for entry in shown:
        relative = prefix + entry.name
        if entry.name.startswith("~$"):
            yield relative, problem("I-LOCK-FILE", shown_relative(relative)), None
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:  # vanished while walking
            continue
        if stat.S_ISREG(info.st_mode):
            yield relative, None, info
        elif stat.S_ISLNK(info.st_mode):
            target = storable(os.readlink(entry.path))
            yield relative, problem("I-SKIPPED-LINK", shown_relative(relative), target=target), None
        else:
            mode = info.st_mode
            kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "thiết bị"
            yield relative, problem("I-SKIPPED-SPECIAL", shown_relative(relative), kind=kind), None
    for entry in sorted((d for d in dirs if not d.name.startswith(".") and not d.is_symlink()), key=_name):
        yield from _scan(entry.path, f"{prefix}{entry.name}/")


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def shown_relative(relative: str) -> str:
    """How a file is named in reports: its path relative to the walked folder ("/"-separated),
    Unicode NFC (macOS writes NFD names), bytes that are not UTF-8 shown as escapes (`storable`)."""
    return unicodedata.normalize("NFC", storable(relative))


def file_key(path: Path) -> str:
    """A file's identity in the workspace: its absolute path, made storable (`storable`); the
    batch makes the same of a walked file's path relative to the resolved folder (nothing below the
    folder is a link it followed)."""
    return storable(str(path.resolve()))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
