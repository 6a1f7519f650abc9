"""Sample submissions for egov: the seed report and a generated Hà Nam 2022 round (see generate.py)."""
