"""egov: turn agencies' IT / e-government reports into scored, verifiable rankings.

Data flow: ingest (files → observations) → indicators (labels → canonical ids) →
score (rule set → points) → rank (totals → ranks) → render (xlsx / md / html / csv / json).
"""

__version__ = "0.1.0"

# written into every file egov produces (xlsx/docx core property "keywords", an HTML <meta>, a
# comment in markdown), so that an output saved into a report folder is never ingested as a report
OUTPUT_MARKER = "egov-output"

# a round's settings (`egov init` writes it, every command reads its option defaults from it)
SETTINGS_FILE = "egov.toml"
