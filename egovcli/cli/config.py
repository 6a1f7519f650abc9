"""A round's settings in one file, `egov.toml`, so that a round is three short commands:

    egov init dot-2025          # writes dot-2025/egov.toml and the folders it names
    cd dot-2025
    egov ingest && egov score && egov rank

The file gives option defaults, by option name: a top-level key serves every command that has the
option (`workspace`, `rules`, `agencies`), a table serves one command (`[rank]`, `[rules.show]`).
A key is the option's name as typed, "-" or "_" alike (`so_quyet_dinh` for `--so-quyet-dinh`, or its
English `decision_number`): the Vietnamese help shows the Vietnamese name, and that is what people write.
What the command line says wins; $EGOV_WORKSPACE wins over the file's `workspace`. Paths are read
relative to the file's folder. The file is `./egov.toml`, or the one $EGOV_CONFIG names; a key that
is no option of its command is refused, naming the file and the key.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from egovcli import SETTINGS_FILE
from egovcli.problems import UsageError

# options whose value is a path, read relative to the file's folder (a rule set only when it is one)
_PATHS = {"workspace", "out", "md", "html", "docx", "manifest", "adjustments", "agencies", "mapping",
          "folder", "file", "decision"}

def find(env: Mapping[str, str], cwd: Path) -> Path | None:
    """The settings file of this command: $EGOV_CONFIG (which must exist), else ./egov.toml if any."""
    named = env.get("EGOV_CONFIG")
    if named:
        if not Path(named).is_file():
            raise UsageError(f"không tìm thấy tệp cấu hình '{named}' ($EGOV_CONFIG).")
        return Path(named)
    here = cwd / SETTINGS_FILE
    return here if here.is_file() else None


def _commands(root: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, root
    for name, sub in getattr(root, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def _key(name: str) -> str:
    return name.replace("-", "_")


def _names(command: Any) -> dict[str, str]:
    """The keys that set an option of `command` — its python name and each long option name, "-" as
    "_" — and the option each one sets (its python name, as click's `default_map` wants it)."""
    names: dict[str, str] = {}
    for param in command.params:
        for option in getattr(param, "opts", []):
            if option.startswith("--"):
                names[_key(option[2:])] = param.name
        names[param.name] = param.name
    return names


def default_map(file: Path, root: Any, env: Mapping[str, str]) -> dict[str, Any]:
    """click's `default_map` for the command tree `root` from the settings `file`. UsageError for a
    file that is not TOML or a key no command takes."""
    import tomllib

    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{file}: không đọc được tệp cấu hình: {exc}.") from exc
    base = file.resolve().parent

    def value(name: str, raw: Any) -> Any:
        path_like = name in _PATHS or (name == "rules" and str(raw).lower().endswith((".yaml", ".yml")))
        return str(base / raw) if path_like and isinstance(raw, str) and raw != "-" else raw

    shared = {k: v for k, v in data.items() if not isinstance(v, dict)}
    if env.get("EGOV_WORKSPACE"):
        shared.pop("workspace", None)
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    found: dict[str, Any] = {}
    known_shared: set[str] = set()
    for path, command in _commands(root):
        names = _names(command)
        known_shared |= set(names)
        own = tables
        for part in path:
            own = own.get(part, {}) if isinstance(own, dict) else {}
        own = {k: v for k, v in own.items() if not isinstance(v, dict)}
        unknown = sorted(k for k in own if _key(k) not in names)
        if unknown and path:
            command = " ".join(path)
            raise UsageError(f"{file}: [{'.'.join(path)}] có khoá không phải tùy chọn của egov {command}:"
                             f" {', '.join(unknown)}.")
        given = {**shared, **own}
        defaults = {names[_key(k)]: value(names[_key(k)], v) for k, v in given.items() if _key(k) in names}
        if defaults and path:
            target = found
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target.setdefault(path[-1], {}).update(defaults)
    unknown = sorted(k for k in shared if _key(k) not in known_shared)
    if unknown:
        raise UsageError(f"{file}: khoá không phải tùy chọn của lệnh nào: {', '.join(unknown)}.")
    return found


def settings(root: Any) -> dict[str, Any] | None:
    """The `default_map` of this command's settings file, if it has one."""
    file = find(os.environ, Path.cwd())
    return default_map(file, root, os.environ) if file else None

