"""The `egov` command (and `python -m egovcli`): a help page straight from the generated model
(`egovcli.helppage`, without importing typer), anything else through the typer app (`egovcli.cli`)."""

import os
import sys


def main() -> None:
    """Console-script entry point."""
    from egovcli.helppage import answer

    if not answer(sys.argv[1:], os.environ):
        from egovcli.cli import main as typer_main

        typer_main()


if __name__ == "__main__":
    main()
