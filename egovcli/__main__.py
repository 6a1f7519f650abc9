"""The `egov` command (and `python -m egovcli`): a help page straight from the generated model
(`egovcli.helppage`, without importing typer), anything else through the typer app (`egovcli.cli`)."""

import os
import sys


def main() -> None:
    """Console-script entry point."""
    # only a command line ending in --help can be a help page: any other loads no help model
    if sys.argv[-1] == "--help" and len(sys.argv) > 1:
        from egovcli.helppage import answer

        if answer(sys.argv[1:], os.environ):
            return
    from egovcli.usercache import keep_compiled

    word = sys.argv[1] if len(sys.argv) > 1 else ""  # the command: each has its own file
    plain = word.isascii() and word.isalpha() and word.islower() and len(word) <= 20
    keep_compiled(word if plain else "egov")  # (before typer's and egov's classes and patterns are made)
    from egovcli.cli import main as typer_main

    typer_main()


if __name__ == "__main__":
    main()
