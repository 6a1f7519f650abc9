"""egov's command tree in the language of the command (`egovcli.lang`): help texts, the type shown
beside each option, typer's panel titles and click's own texts ("Usage:", "Missing option").

English help lives beside each option in the command modules; Vietnamese in `cli.help_vi`. The
tree is localised once, before the command line is parsed (`_Egov.main`), so `--help` and every
usage error speak the chosen language.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from importlib import import_module
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from egovcli.cli.help_vi import HELP
from egovcli.lang import EN, VI

if TYPE_CHECKING:  # importlib.abc costs a command 5 ms; finders and loaders are duck-typed
    from importlib.abc import Loader

# the value an option takes, in plain words, instead of typer's "<str>", "<bool>", "<Path>"
_FILE_OPTIONS = {"workspace", "out", "md", "html", "adjustments", "agencies", "mapping", "file", "decision",
                 "folder", "docx", "manifest", "config"}
_TYPES = {
    VI: {"file": "TỆP", "folder": "THƯ MỤC", "rules": "TÊN|TỆP", "int": "SỐ", "float": "SỐ", "str": "CHỮ"},
    EN: {"file": "FILE", "folder": "FOLDER", "rules": "NAME|FILE", "int": "INTEGER", "float": "NUMBER",
         "str": "TEXT"},
}
# typer's panel titles in Vietnamese
_TYPER_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "Tham số", "OPTIONS_PANEL_TITLE": "Tùy chọn", "COMMANDS_PANEL_TITLE": "Lệnh",
    "ERRORS_PANEL_TITLE": "Lỗi", "ABORTED_TEXT": "Đã dừng.", "REQUIRED_LONG_STRING": "[bắt buộc]",
    "RICH_HELP": "Xem [blue]'{command_path} {help_option}'[/] để được hướng dẫn.",
}
# click's usage errors (English literals in typer's click) in Vietnamese: pattern → replacement, compiled
# when a usage error is first shown (`re` keeps them), not by every command
_ERRORS_VI = [
    ((r"^Missing option (.*)\.$", re.S), r"Thiếu tùy chọn \1."),
    ((r"^Missing argument (.*)\.$", re.S), r"Thiếu tham số \1."),
    ((r"^Missing parameter:? (.*?)\.?$", re.S), r"Thiếu tham số \1."),
    ((r"^No such option: (\S+) \(Possible options: (.*)\)$", re.S),
     r"Không có tùy chọn \1 (có phải ý bạn là: \2?)"),
    ((r"^No such option: (.*)$", re.S), r"Không có tùy chọn \1."),
    ((r"^No such command (.*)\.$", re.S), r"Không có lệnh \1."),
    ((r"^Option (.*) requires an argument\.$", re.S), r"Tùy chọn \1 cần một giá trị."),
    ((r"^Option (.*) requires (\d+) arguments\.$", re.S), r"Tùy chọn \1 cần \2 giá trị."),
    ((r"^Got unexpected extra arguments? \((.*)\)$", re.S), r"Thừa tham số (\1)."),
    ((r"^Invalid value for (.*?): (.*)$", re.S), r"Giá trị không hợp lệ cho \1: \2"),
    ((r"^Invalid value: (.*)$", re.S), r"Giá trị không hợp lệ: \1"),
    ((r"(\S+) is not a valid integer\.?", 0), r"\1 không phải số nguyên."),
    ((r"(\S+) is not a valid float\.?", 0), r"\1 không phải số."),
    ((r"(\S+) is not one of (.*?)\.?$", re.S), r"\1 không phải một trong \2."),
    ((r"(\S+) is not in the range (.*?)\.?$", re.S), r"\1 không nằm trong khoảng \2."),
    ((r"(\S+) is smaller than the minimum valid value (.*?)\.?$", re.S),
     r"\1 nhỏ hơn giá trị nhỏ nhất \2."),
    ((r"(\S+) is bigger than the maximum valid value (.*?)\.?$", re.S),
     r"\1 lớn hơn giá trị lớn nhất \2."),
    ((r"Input should be a valid integer.*$", re.S), "cần một số nguyên."),
    ((r"Input should be a valid number.*$", re.S), "cần một số."),
    ((r"Input should be greater than or equal to (\S+)$", re.S), r"cần lớn hơn hoặc bằng \1."),
    ((r"Input should be less than or equal to (\S+)$", re.S), r"cần nhỏ hơn hoặc bằng \1."),
    ((r"(Path|File|Directory) (.*) does not exist\.", re.S), r"Đường dẫn \2 không tồn tại."),
    ((r"(Path|File|Directory) (.*) is a directory\.", re.S), r"\2 là một thư mục."),
    ((r"(Path|File|Directory) (.*) is a file\.", re.S), r"\2 là một tệp."),
]
_USAGE = {VI: "Cách dùng: ", EN: "Usage: "}
_ORIGINAL: dict[str, Any] = {}


def vietnamese_error(message: str) -> str:
    """A usage error of click in Vietnamese (the message as it is when no pattern knows it)."""
    for (pattern, flags), replacement in _ERRORS_VI:
        message = re.sub(pattern, replacement, message, flags=flags)
    return message




def walk(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every command of the tree under `command` (itself first), with its path ("rules show")."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from walk(sub, f"{path} {name}".strip())


def param_key(path: str, param: Any) -> tuple[str, str]:
    """The catalogue keys of a parameter: its own ("rank --out", "ingest FOLDER") and the shared one
    ("--out")."""
    opts = [o for o in param.opts if o.startswith("--")]
    name = opts[0] if opts else param.name.upper()
    return f"{path} {name}".strip(), name


def vietnamese_help(path: str, param: Any | None = None) -> str | None:
    """The Vietnamese help of a command (`param` None) or of one of its parameters, None when the
    catalogue lacks it."""
    if param is None:
        return HELP.get(path)
    own, shared = param_key(path, param)
    return HELP.get(own, HELP.get(shared) if shared.startswith("--") else None)


def _type_label(param: Any, language: str) -> str | None:
    """What the option takes, in plain words: None for a switch, "table|csv|json" for a choice."""
    if getattr(param, "is_flag", False):
        return None
    labels = _TYPES[language]
    described = param.type_descriptor
    if described.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in described.choices or ())
    if param.name == "rules":
        return labels["rules"]
    if param.name in _FILE_OPTIONS:  # a folder says so first in its help: "Folder the pages are …"
        folder = param.name == "folder" or (getattr(param, "help", "") or "").startswith("Folder")
        return labels["folder" if folder else "file"]
    return labels.get(param.bare_type(), labels["str"])


def _localised_param(path: str, param: Any, language: str) -> None:
    label = _type_label(param, language)  # from the English help, before it is replaced
    if language == VI and hasattr(param, "help"):
        param.help = vietnamese_help(path, param) or param.help
    param.display_type_rich = lambda ctx, label=label: label


class _Deferred(type):
    """A class of rich's that typer's help module names but egov's help never uses (`Markdown`: help
    is never markdown; `Traceback`: exceptions are not pretty-printed): its module is imported only
    when the class is called or one of its attributes read."""

    def _real(cls) -> Any:
        return getattr(import_module(cls.__module__), cls.__name__)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls._real(), name)


class _Printer:
    """Imports typer's help and error printer (`typer.rich_utils`) when typer first needs it — a
    usage error, `--help`, Ctrl-C — not on every command (its rich console, tables and columns were
    a fifth of a command's start-up), and puts its texts in the language of the command as it does.

    It is imported without rich.markdown (markdown_it) and rich.traceback (pygments): they took half
    the time of every `--help`. Each stands in `sys.modules` only while typer's module runs, so any
    later `import rich.markdown` gets the real one."""

    language = EN

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != "typer.rich_utils":
            return None
        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = cast("Loader", _Loading(spec.loader))
        return spec


class _Loading:
    def __init__(self, real: Loader) -> None:
        self.real = real

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        stand_ins = {}
        for name, cls in (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback")):
            if name not in sys.modules:
                stand_ins[name] = ModuleType(name)
                setattr(stand_ins[name], cls, _Deferred(cls, (), {"__module__": name}))
        sys.modules.update(stand_ins)
        try:
            self.real.exec_module(module)
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
        _printer_texts(module, _PRINTER.language)


_PRINTER = _Printer()


def rich_utils() -> ModuleType:
    """typer's help and error printer (`_Printer`), in the language egov was last localised to."""
    if _PRINTER not in sys.meta_path:
        sys.meta_path.insert(0, _PRINTER)
    return import_module("typer.rich_utils")


def _usage_prefix(language: str) -> None:
    """The usage line's prefix in `language`."""
    from typer._click.formatting import HelpFormatter

    write_usage = _ORIGINAL.setdefault("write_usage", HelpFormatter.write_usage)

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _USAGE[language] if prefix is None else prefix)

    HelpFormatter.write_usage = usage  # type: ignore[method-assign]


def _printer_texts(utils: ModuleType, language: str) -> None:
    """typer's panel titles and click's usage errors, as typer prints them, in `language`."""
    format_error = _ORIGINAL.setdefault("rich_format_error", utils.rich_format_error)

    def error(exc: Any) -> None:
        if language == VI:
            message = exc.format_message()
            exc.format_message = lambda: vietnamese_error(message)
        format_error(exc)

    utils.rich_format_error = error  # type: ignore[attr-defined]
    for name, text in _TYPER_TITLES.items():
        original = _ORIGINAL.setdefault(name, getattr(utils, name))
        setattr(utils, name, text if language == VI else original)


def localise(root: Any, language: str) -> None:
    """Put `root`'s command tree (a click group) and typer's and click's own texts in `language`
    (typer's printer's when it is imported: `_Printer`)."""
    _usage_prefix(language)
    _PRINTER.language = language
    if "typer.rich_utils" in sys.modules:
        _printer_texts(sys.modules["typer.rich_utils"], language)
    elif _PRINTER not in sys.meta_path:
        sys.meta_path.insert(0, _PRINTER)
    for path, command in walk(root):
        if language == VI:
            command.help = vietnamese_help(path) or command.help
            command.short_help = None
        for param in command.params:
            _localised_param(path, param, language)
        help_option = command.get_help_option

        def localised_help(ctx: Any, path: str = path, help_option: Any = help_option) -> Any:
            option = help_option(ctx)
            if option is not None:
                _localised_param(path, option, language)
            return option

        command.get_help_option = localised_help
