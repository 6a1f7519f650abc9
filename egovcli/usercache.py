"""What egov keeps in the user's cache folder ($XDG_CACHE_HOME/egov, else ~/.cache/egov): what it can
always make again, each file under a key made of everything it is made from. A file with another
key, torn or damaged (its payload's hash is checked) is made again; a folder that cannot be written
is done without.

`keep_compiled` is the command line's: what Python makes anew in every process, from texts that are
the same every time, took half of a one-file ingest's start-up on Python 3.11 — the methods
`dataclasses` writes and compiles for each class (`__init__`, `__eq__`, `__repr__`…: 57 classes,
egov's and typer's) and what `re` makes of each pattern (180) — and is kept instead, exactly as
Python makes it.
"""

from __future__ import annotations

import builtins
import hashlib
import marshal
import os
import sys
from pathlib import Path
from types import CodeType, ModuleType, SimpleNamespace
from typing import Any

_DIGEST = 32  # bytes of a sha256
STARTUP_NAME = "startup-{}.marshal"  # one file per command: each reads only what it makes


def cache_dir() -> Path:
    """Where egov keeps what it can always make again."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "egov"


def read(path: Path, key: bytes, *, own: bool = False) -> Any:
    """The value kept in `path` under `key`, or None (none, another key, damaged). `own`: only from a
    file of this user's that no one else may write (for code: it is run)."""
    try:
        with open(path, "rb") as file:
            if own and not _private(os.fstat(file.fileno())):
                return None
            data = file.read()
    except OSError:
        return None
    payload = data[2 * _DIGEST:]
    if data[:_DIGEST] != key or data[_DIGEST:2 * _DIGEST] != hashlib.sha256(payload).digest():
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def _private(found: os.stat_result) -> bool:
    owner = getattr(os, "getuid", lambda: found.st_uid)()
    return found.st_uid == owner and not found.st_mode & 0o022


def write(path: Path, key: bytes, value: Any) -> None:
    """Written whole or not at all (a temporary file renamed over the old one), readable and
    writable by this user only."""
    import tempfile

    payload = marshal.dumps(value)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(key + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:  # read-only home, full disk: the next run makes it again
        pass


def keep_compiled(command: str) -> None:
    """From now on, what Python compiles anew in every process is compiled once per machine and
    `command` (a word: the file's name): the code of the methods `dataclasses` writes (for a source
    text) and what `re` makes of a pattern (for a pattern and its flags) are taken from the cache,
    made by this same Python, else made as Python makes them and added; the cache is written at exit
    when something was new."""
    import atexit
    import dataclasses
    import re._compiler as compiler

    if "exec" in vars(dataclasses):  # (already)
        return
    python = f"{sys.version}|{sys.implementation.cache_tag}|{marshal.version}|{sys.flags.optimize}"
    try:  # the key: this Python and this code (what it keeps, and how)
        key = hashlib.sha256(python.encode() + Path(__file__).read_bytes()).digest()
    except OSError:  # (run from a zip: nothing is kept)
        return
    path = cache_dir() / STARTUP_NAME.format(command)
    kept = read(path, key, own=True)
    methods, patterns = kept if isinstance(kept, tuple) and len(kept) == 2 else ({}, {})
    if not (isinstance(methods, dict) and isinstance(patterns, dict)):
        methods, patterns = {}, {}
    new: list[object] = []

    def save() -> None:
        if new:
            write(path, key, (methods, patterns))

    dataclasses.exec = _exec_kept(methods, new)  # type: ignore[attr-defined]  # found before the builtin
    compiler.compile = _compile_kept(compiler, patterns, new)
    atexit.register(save)


def _exec_kept(methods: dict[str, CodeType], new: list[object]) -> Any:
    """`exec` for dataclasses.py: a text run in a module's namespace, compiled as `exec(text)` there
    compiles it (dataclasses.py has no __future__ import), from `methods` when it holds it."""

    def exec_kept(source: Any, namespace: dict[str, Any] | None = None,
                  local: dict[str, Any] | None = None, /) -> None:
        if type(source) is str and namespace is not None:
            code = methods.get(source)
            if code is None:
                code = methods[source] = compile(source, "<string>", "exec", dont_inherit=True)
                new.append(source)
            source = code
        elif namespace is None:  # its caller's namespaces, not this function's
            caller = sys._getframe(1)
            namespace, local = caller.f_globals, caller.f_locals if local is None else local
        builtins.exec(source, namespace, local)

    return exec_kept


def _compile_kept(compiler: ModuleType, patterns: dict[tuple[str, int], tuple[Any, ...]],
                  new: list[object]) -> Any:
    """`re._compiler.compile` for a text pattern: the arguments it hands `_sre.compile` (flags, code,
    groups) from `patterns` when it holds them, else recorded as it hands them over."""
    import _sre
    from _thread import get_ident

    made = compiler.compile
    handed: dict[int, tuple[Any, ...]] = {}  # by thread: what its compiling handed `_sre.compile`

    def record(pattern: Any, *arguments: Any) -> Any:
        handed[get_ident()] = arguments
        return _sre.compile(pattern, *arguments)

    compiler._sre = SimpleNamespace(**{**vars(_sre), "compile": record})  # type: ignore[attr-defined]

    def compile_kept(pattern: Any, flags: int = 0) -> Any:
        if type(pattern) is not str or type(flags) is not int or flags & compiler.SRE_FLAG_DEBUG:
            return made(pattern, flags)
        arguments = patterns.get((pattern, flags))
        if arguments is not None:
            try:
                return _sre.compile(pattern, *arguments)
            except (TypeError, ValueError, RuntimeError):  # (never from what this code kept: made again)
                del patterns[pattern, flags]
        handed.pop(get_ident(), None)
        found = made(pattern, flags)
        given = handed.pop(get_ident(), None)
        if given is not None:  # (the opcodes are ints of a subclass that names them: kept as plain ints)
            final, code, groups, groupindex, indexgroup = given
            patterns[pattern, flags] = (int(final), [int(op) for op in code], int(groups), dict(groupindex),
                                        tuple(indexgroup))
            new.append(pattern)
        return found

    return compile_kept
