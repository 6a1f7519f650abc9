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
    for root, dirs, files in os.walk(folder):
        names = sorted(files)
        names += sorted(d for d in dirs if not d.startswith(".") and os.path.islink(os.path.join(root, d)))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in names)
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root, name)
            if name.startswith("~$"):
                yield path, problem("I-LOCK-FILE", shown_name(path, folder))
                continue
            try:
                mode = path.lstat().st_mode
            except OSError:  # vanished while walking
                continue
            if stat.S_ISREG(mode):
                yield path, None
            elif stat.S_ISLNK(mode):
                target = storable(os.readlink(path))
                yield path, problem("I-SKIPPED-LINK", shown_name(path, folder), target=target)
            else:
                kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "thiết bị"
                yield path, problem("I-SKIPPED-SPECIAL", shown_name(path, folder), kind=kind)


def shown_name(path: Path, root: Path) -> str:
    """How a file is named in reports: relative to the folder, Unicode NFC (macOS writes NFD names),
    bytes that are not UTF-8 shown as escapes (`storable`)."""
    return unicodedata.normalize("NFC", storable(path.relative_to(root).as_posix()))


def file_key(path: Path, walked: tuple[Path, Path] | None = None) -> str:
    """A file's identity in the workspace: its absolute path, made storable (`storable`).
    `walked` — the folder `walk` went through and its resolved path — spares resolving each path
    it found (nothing below the folder is a link it followed)."""
    real = walked[1] / path.relative_to(walked[0]) if walked else path.resolve()
    return storable(str(real))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
