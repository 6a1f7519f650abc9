"""Office formats other than .xlsx/.docx: legacy Excel/Word, OpenDocument, RTF, macro workbooks.

.xls, .ods and .xlsm are read directly (`xlsx`: an .xlsm as an .xlsx, its macros never run; an .ods
and an .xls cell by cell). .doc, .odt and .rtf — and an .xls/.ods that cannot be read directly —
are converted by LibreOffice (`soffice --headless --convert-to`) in a private temporary folder,
with its own profile and temporary files so parallel conversions never collide, and the copy is
read by the normal extractor. A reader killed while LibreOffice converts (time limit, Ctrl-C,
kill -9 of egov) takes LibreOffice and the folder with it (`Scratch`).
Locations are those of the copy (LibreOffice keeps sheets, cells and tables); problems name the
original file. A minimal LibreOffice may lack the component a file needs (Writer for .doc/.odt/.rtf
and HTML saved as .doc, Calc for .xls/.ods and HTML saved as .xls): when its program folder shows
that (`missing_component`), the file fails with the package to install instead of a conversion
error. A workbook the direct readers find locked with a password is converted too (LibreOffice
opens one locked with Excel's default password, as Excel writes a workbook with a protected
structure); when LibreOffice cannot open it either, the password is the problem (E-ENCRYPTED).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from egovcli.ingest.readers import safety
from egovcli.model import Extracted
from egovcli.problems import Problem, problem
from egovcli.textnorm import vi_number

CONVERT_TIMEOUT = 120.0  # seconds per file; a hung LibreOffice is killed
INSTALL_HINT = "apt-get install libreoffice-calc-nogui libreoffice-writer-nogui"
_TARGETS = {".xls": "xlsx", ".ods": "xlsx", ".doc": "docx", ".odt": "docx", ".rtf": "docx"}
_FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "docx": "docx:MS Word 2007 XML"}
_READ_DIRECTLY = (".xls", ".ods", ".xlsm")
# target → (the LibreOffice component that converts to it, its library next to the soffice program
# in LibreOffice's own builds and Debian/Fedora packages, the Debian package that installs it)
_COMPONENTS = {
    "docx": ("Writer", "swlo", "libreoffice-writer-nogui"),
    "xlsx": ("Calc", "sclo", "libreoffice-calc-nogui"),
}



class ConversionError(Exception):
    """LibreOffice failed, timed out, or wrote nothing."""


class ConversionTimeout(ConversionError):
    """LibreOffice ran over its time and was stopped."""


def soffice() -> str | None:
    """The LibreOffice command on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one legacy / OpenDocument / macro-enabled file."""
    suffix = path.suffix.lower()
    detail = ""
    locked: Problem | None = None  # a password met by the direct reader (LibreOffice is still asked)
    if suffix in _READ_DIRECTLY:
        from egovcli.ingest.readers import xlsx

        try:
            return xlsx.extract(path)  # an .xlsm's macros are noted there, never run
        except Exception as exc:
            found = _reading_problem(path, exc)
            if suffix == ".xlsm" or found.category == "hostile":
                raise  # (LibreOffice is not given a hostile file either)
            detail = f" (đọc trực tiếp lỗi: {type(exc).__name__}: {exc})"[:300]
            locked = found if found.category == "encrypted" else None
    command = soffice()
    if command is None:
        return Extracted(
            problems=[
                problem("E-NEEDS-LIBREOFFICE", str(path), suffix=suffix, detail=detail, hint=INSTALL_HINT)
            ]
        )
    target = _TARGETS[suffix]
    if missing := missing_component(command, target):
        component, package = missing
        return Extracted(problems=[problem(
            "E-NEEDS-LIBREOFFICE-PART", str(path), component=component, suffix=suffix, detail=detail,
            program=command, hint=f"apt install {package}",
        )])
    with Scratch() as scratch:
        started = time.monotonic()
        # stop LibreOffice before the per-file time limit ends the worker, so it never lingers
        timeout = min(CONVERT_TIMEOUT, safety.active().timeout * 0.8)
        try:
            copy = convert(path, target, scratch.folder, command, timeout, scratch.watch)
        except ConversionTimeout:
            return Extracted(problems=[problem("E-TIMEOUT", str(path), seconds=f"{timeout:g}")])
        except ConversionError as exc:
            return Extracted(
                problems=[locked or problem("E-CONVERSION-FAILED", str(path), target=target, reason=str(exc))]
            )
        seconds = vi_number(time.monotonic() - started, 1, fixed=True)
        try:
            extracted = _reader(target)(copy)
        except Exception as exc:  # noqa: BLE001 - reported like any file read directly, naming the original
            found = _reading_problem(path, exc)
            named = found.moved(found.file, lambda text: text.replace(str(copy), path.name))
            return Extracted(problems=[named])
    extracted.problems = [
        p.moved(str(path), lambda text: text.replace(str(copy), path.name)) for p in extracted.problems
    ]
    extracted.problems.append(
        problem("I-CONVERTED", str(path), suffix=suffix, target=target, seconds=seconds)
    )
    return extracted


def _reading_problem(path: Path, exc: Exception) -> Problem:
    """What a reader's exception means (`ingest.exception_problem`)."""
    from egovcli.ingest.extract import exception_problem

    return exception_problem(str(path), exc)


def missing_component(command: str, target: str) -> tuple[str, str] | None:
    """(component, package) that the LibreOffice of `command` lacks to convert to `target` ("docx":
    Writer, "xlsx": Calc), or None when it has it — or when its program folder (where the soffice
    program really is, links followed) does not show which components it has: only a folder holding
    some component's library (libsclo.so, libswlo.so; .dylib, .dll elsewhere) tells one is missing."""
    program = Path(os.path.realpath(command)).parent

    def has(library: str) -> bool:
        return any((program / name).exists() for name in (f"lib{library}.so", f"lib{library}.dylib",
                                                           f"{library}.dll"))

    component, library, package = _COMPONENTS[target]
    shows_components = any(has(lib) for _name, lib, _package in _COMPONENTS.values())
    return (component, package) if shows_components and not has(library) else None


def convert(
    path: Path, target: str, workdir: Path, command: str, timeout: float = CONVERT_TIMEOUT,
    watch: Callable[[int], None] | None = None,
) -> Path:
    """Convert a copy of `path` to `target` (xlsx | docx) inside `workdir`; returns the converted file.

    The original is copied first so LibreOffice never writes lock files next to it; its profile and
    temporary files are in `workdir` too, so that no instance left behind affects another. LibreOffice runs
    in a process group of its own (`soffice` is a wrapper: a script, oosplash, then soffice.bin),
    killed whole at `timeout`; `watch` is told that group as soon as it starts (`Scratch.watch`).
    """
    source = workdir / f"input{path.suffix.lower()}"
    shutil.copyfile(path, source)
    outdir = workdir / "out"
    args = [
        command,
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        _FILTERS[target],
        "--outdir",
        str(outdir),
        str(source),
    ]
    proc = subprocess.Popen(  # its own temporary files in `workdir` too, removed with it
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=functools.partial(_prepare_soffice, os.getpid()),
        env={**os.environ, "TMPDIR": str(workdir)},
    )
    if watch is not None:
        watch(proc.pid)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice is a wrapper: end the whole process group
        proc.communicate()
        raise ConversionTimeout(f"LibreOffice chạy quá {timeout:g} giây nên đã bị dừng") from exc
    converted = outdir / f"input.{target}"
    if not converted.is_file():
        said = [line for line in (err + out).splitlines() if line.strip() and "javaldx" not in line]
        raise ConversionError(said[-1] if said else f"LibreOffice kết thúc với mã {proc.returncode}")
    return converted


def _prepare_soffice(parent: int) -> None:
    """In the LibreOffice process before it starts: the address space a capped worker does not allow,
    and killed with the process that starts it (which covers the instant before `watch` knows it)."""
    safety.unlimit_memory()
    safety.die_with_parent()
    if os.getppid() != parent:  # that process died before the line above
        os._exit(1)


class Scratch:
    """A private temporary folder for one conversion, removed on leaving — and, should this process
    be killed first (a reader stopped by egov at its time limit or on Ctrl-C, or with egov by
    kill -9), removed by a guard process, which also kills the LibreOffice started in it.

    LibreOffice (`soffice`) is a wrapper whose soffice.bin is a grandchild: nothing the kernel offers
    kills it with the process that started it (a death signal set before exec reaches only the
    wrapper), so the guard — forked here, in a session of its own so that the terminal's signals
    spare it — waits on a pipe only this process writes to: end of file without "done" means this
    process died, and every process group it was told of (`watch`) is killed. Without fork (Windows)
    only the folder is removed, by this process."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="egov-convert-"))
        self._guard = 0
        self._pipe = -1

    def __enter__(self) -> Scratch:
        if hasattr(os, "fork"):
            read, self._pipe = os.pipe()
            self._guard = os.fork()
            if self._guard == 0:
                _guard(read, self.folder)
            os.close(read)
        return self

    def watch(self, group: int) -> None:
        """Have the guard kill process group `group` if this process dies."""
        if self._guard:
            os.write(self._pipe, f"{group}\n".encode())

    def __exit__(self, *_exc: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._guard:
            os.write(self._pipe, b"done\n")
            os.close(self._pipe)
            os.waitpid(self._guard, 0)


def _guard(pipe: int, folder: Path) -> NoReturn:
    """The guard of `Scratch`: read `pipe` to its end; unless told "done", kill the process groups
    it names, then remove `folder` (retried: a process being killed may still finish a write)."""
    try:
        os.setsid()
        os.closerange(3, pipe)  # hold nothing of its parent's: a result pipe, a reader's sentinel
        os.closerange(pipe + 1, os.sysconf("SC_OPEN_MAX"))
        said = b""
        while chunk := os.read(pipe, 4096):
            said += chunk
        lines = said.split()
        if b"done" not in lines:
            for group in (int(line) for line in lines if line.isdigit()):
                with contextlib.suppress(OSError):
                    os.killpg(group, signal.SIGKILL)
            for _ in range(50):
                shutil.rmtree(folder, ignore_errors=True)
                if not folder.exists():
                    break
                time.sleep(0.1)
    finally:
        os._exit(0)


def _reader(target: str) -> Callable[[Path], Extracted]:
    if target == "xlsx":
        from egovcli.ingest.readers import xlsx

        return xlsx.extract
    from egovcli.ingest.readers import docx

    return docx.extract
