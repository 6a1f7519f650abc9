"""egov: turn agencies' IT / e-government reports into scored, verifiable rankings.

Data flow: ingest (files → observations) → indicators (labels → canonical ids) →
score (rule set → points) → rank (totals → ranks) → render (xlsx / md / html / csv / json).
"""

__version__ = "0.1.0"
