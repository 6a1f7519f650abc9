"""The user's cache (egovcli.usercache): the code of dataclasses' methods and the compiled patterns kept
in it are exactly what Python makes, and only a file of the user's own, intact, under today's key,
is used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from egovcli import usercache

# a child process: the cache taken up, then every text `dataclasses` runs and every pattern `re`
# compiles is made both ways — as Python makes it, and through the cache — and the results compared
_COMPARE = """
import builtins, dataclasses, re, sys
import re._compiler as compiler
from egovcli.usercache import keep_compiled
python_compiles = compiler.compile
keep_compiled("test")
kept_exec, kept_compile = dataclasses.exec, compiler.compile
seen, differ = [], []
def both(source, namespace, local):
    plain, cached = {}, {}
    builtins.exec(source, namespace, plain)
    kept_exec(source, namespace, cached)
    a, b = plain["__create_fn__"].__code__, cached["__create_fn__"].__code__
    seen.append(source)
    if (a, a.co_flags, a.co_filename, a.co_consts) != (b, b.co_flags, b.co_filename, b.co_consts):
        differ.append(source)
    local.update(cached)
def compiled(pattern, flags=0):
    a, b = python_compiles(pattern, flags), kept_compile(pattern, flags)
    seen.append(pattern)
    if (a, a.groups, a.groupindex, a.flags) != (b, b.groups, b.groupindex, b.flags):
        differ.append(pattern)
    return b
dataclasses.exec, compiler.compile = both, compiled
import egovcli.workspace, egovcli.ingest, egovcli.ingest.layout, egovcli.indicators, egovcli.api  # egov's own
@dataclasses.dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: "list[int]" = dataclasses.field(default_factory=list)
named = re.compile(r"(?P<sheet>.+)!(?P<cell>[A-Z]+)(\\d+)", re.IGNORECASE).match("Bảng 1!b12")
print(len(seen), len(differ), Point(1) == Point(1), repr(Point(2, [3])), named.groupdict()["cell"], named[3])
"""


def _run(cache: Path) -> list[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", _COMPARE], capture_output=True, text=True, env=env,
                          check=True)
    return done.stdout.split()


def test_methods_and_patterns_from_the_cache_are_the_ones_python_makes(tmp_path: Path) -> None:
    made = _run(tmp_path)  # compiled, then kept at exit
    kept = tmp_path / "egov" / usercache.STARTUP_NAME.format("test")
    assert kept.is_file()
    written = kept.stat().st_mtime_ns
    taken = _run(tmp_path)  # from the file
    assert int(made[0]) > 300 and made[1:] == taken[1:] == ["0", "True", "Point(x=2,", "y=[3])", "b", "12"]
    assert kept.stat().st_mtime_ns == written  # nothing new: not written again


def test_only_an_intact_file_of_the_users_own_is_used(tmp_path: Path) -> None:
    path, key = tmp_path / "kept.marshal", b"k" * 32
    usercache.write(path, key, {"text": 1})
    assert usercache.read(path, key, own=True) == {"text": 1}
    assert usercache.read(path, b"x" * 32, own=True) is None  # another key
    path.chmod(0o666)  # others may write it: it could hold anyone's code
    assert usercache.read(path, key, own=True) is None
    assert usercache.read(path, key) == {"text": 1}  # (plain values: as good as any)
    path.chmod(0o600)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    assert usercache.read(path, key, own=True) is None  # damaged
