"""The language egov speaks to a person: Vietnamese by default, English when asked.

What a person reads (help, messages, problem lines, table headings) follows `current()`; what a
program reads (CSV and JSON columns, codes, exit codes) never changes with it, and a problem's JSON
always carries both `message` and `message_en`.

The language is chosen once per command (`choose`): `--lang vi|en` anywhere on the command line,
else $EGOV_LANG, else the locale ($LC_ALL, $LC_MESSAGES, $LANG, in that order, as gettext reads
them) when it names English ("en_US.UTF-8"); anything else, "C" and "POSIX" included, is Vietnamese:
egov's users are Vietnamese civil servants, and a server's default locale says nothing about them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

VI, EN = "vi", "en"
LANGUAGES = (VI, EN)
_current = VI


def current() -> str:
    """The language of this command: "vi" or "en"."""
    return _current


def use(language: str) -> None:
    """Speak `language` from now on (one of `LANGUAGES`)."""
    global _current
    if language not in LANGUAGES:
        from egovcli.problems import LanguageError  # (not before: `egov --help` loads no problems)

        raise LanguageError(f"ngôn ngữ '{language}' không được hỗ trợ (chọn: {', '.join(LANGUAGES)}).")
    _current = language


def tr(vi: str, en: str) -> str:
    """`vi` or `en`, whichever the current language is."""
    return en if _current == EN else vi


def _from_locale(env: Mapping[str, str]) -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:  # the first one set decides, as for gettext
            return EN if value.lower().startswith("en") else VI
    return VI


def requested(argv: Sequence[str], env: Mapping[str, str]) -> tuple[str, list[str], str | None]:
    """The language a command line asks for ("vi", "en", or one egov does not speak), the command
    line without `--lang X` / `--lang=X` (which may stand anywhere before a `--`), and what named the
    language: that `--lang` or $EGOV_LANG (None: the locale)."""
    rest: list[str] = []
    wanted: str | None = None
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--lang" and i + 1 < len(args):
            wanted, i = args[i + 1], i + 2
            continue
        if arg.startswith("--lang="):
            wanted = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    named = wanted or env.get("EGOV_LANG")
    language = (named or _from_locale(env)).strip().lower()
    return language.split("_")[0].split("-")[0].split(".")[0], rest, named


def choose(argv: Sequence[str], env: Mapping[str, str]) -> tuple[str, list[str]]:
    """The language a command line asks for and the command line without `--lang X` (`requested`);
    LanguageError for a language egov does not speak."""
    language, rest, named = requested(argv, env)
    if language not in LANGUAGES:
        from egovcli.problems import LanguageError  # (not before: `egov --help` loads no problems)

        raise LanguageError(f"ngôn ngữ '{named}' không được hỗ trợ (chọn: {', '.join(LANGUAGES)})"
                            " / unsupported language.")
    return language, rest
