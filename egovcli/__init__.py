"""egov: turn agencies' IT / e-government reports into scored, verifiable rankings.

Data flow: ingest (files → observations) → indicators (labels → canonical ids) →
score (rule set → points) → rank (totals → ranks) → render (xlsx / md / html / csv / json).
"""

from collections.abc import Mapping

__version__ = "0.1.0"

# written into every file egov produces (xlsx/docx core property "keywords", an HTML <meta>, a
# comment in markdown), so that an output saved into a report folder is never ingested as a report
OUTPUT_MARKER = "egov-output"

# a round's settings (`egov init` writes it, every command reads its option defaults from it)
SETTINGS_FILE = "egov.toml"


def whole_app_needed(env: Mapping[str, str], cwd: str) -> bool:
    """Whether this command needs typer's whole command tree, not only the page or command it names:
    a settings file that may give defaults (it is checked against every command: $EGOV_CONFIG, or
    `SETTINGS_FILE` in `cwd`) or shell completion."""
    import os

    settings = "EGOV_CONFIG" in env or os.path.exists(os.path.join(cwd, SETTINGS_FILE))
    return settings or any(name.endswith("_COMPLETE") or name == "_TYPER_COMPLETE_ARGS" for name in env)
