# egov — every target sets itself up: a fresh machine needs only Python ≥ 3.11 and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT := out
WS := $(OUT)/egov.sqlite
DTI_WS := $(OUT)/dti.sqlite

.PHONY: install demo test check lint samples help-pages clean bench bench-national bench-hostile bench-interrupt

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: ingest → score (with appraisal adjustments) → rank on the Hà Nam 2022 samples, into out/ (workbook,
## summaries, decision annex phu-luc.docx, manifest run.json);
## then verify the published Hòa Bình 2017 ranking (seed 001); then the 2026-shaped round: 18 sở/ban/ngành
## and 60 UBND xã/phường/đặc khu scored with the illustrative rule set dti-example-2025, in its own workspace,
## with its annex, manifest and each agency's own page (out/dti-phan-hoi/)
demo: $(STAMP)
	rm -f $(WS) $(WS)-wal $(WS)-shm
	$(BIN)/egov ingest samples/hanam-2022 --workspace $(WS)
	$(BIN)/egov score --rules hanam-2022 --workspace $(WS) --adjustments samples/hanam-2022-adjustments.csv \
		--format csv --out $(OUT)/scores.csv
	$(BIN)/egov rank --workspace $(WS) --out $(OUT)/ranking.xlsx --md $(OUT)/summary.md --html $(OUT)/summary.html \
		--docx $(OUT)/phu-luc.docx --manifest $(OUT)/run.json
	$(BIN)/egov verify samples/hoabinh-2017/qd-2631-2017.pdf --rules hoabinh-2017
	$(BIN)/egov verify samples/hoabinh-2017/qd-2631-2017.pdf --rules hoabinh-2017 --format json \
		--out $(OUT)/verify-hoabinh-2017.json
	rm -f $(DTI_WS) $(DTI_WS)-wal $(DTI_WS)-shm
	$(BIN)/egov ingest samples/dti-example-2024 --workspace $(DTI_WS)
	$(BIN)/egov ingest samples/dti-example-2025 --workspace $(DTI_WS)
	$(BIN)/egov score --rules dti-example-2025 --workspace $(DTI_WS) --format csv --out $(OUT)/dti-scores.csv
	$(BIN)/egov rank --workspace $(DTI_WS) --out $(OUT)/dti-ranking.xlsx --md $(OUT)/dti-summary.md \
		--html $(OUT)/dti-summary.html --docx $(OUT)/dti-phu-luc.docx --manifest $(OUT)/dti-run.json \
		--so-quyet-dinh "…/QĐ-UBND" --co-quan-ban-hanh "UBND tỉnh Hải Sơn (ví dụ minh họa)"
	rm -rf $(OUT)/dti-phan-hoi
	$(BIN)/egov report --workspace $(DTI_WS) --all -o $(OUT)/dti-phan-hoi

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check egovcli tests samples benchmarks
	$(BIN)/mypy egovcli
	$(BIN)/vulture

check: lint test

## help-pages: regenerate egovcli/help_pages.json, the model `egov … --help` is printed from without
## typer, from the typer app (after changing a command, an option or a help text;
## tests/test_cli_fast_help.py fails until it is run)
help-pages: $(STAMP)
	$(BIN)/python -m egovcli.cli.helpmodel

## samples: regenerate samples/hanam-2022 and samples/hoabinh-2017 (python -m samples.generate), and
## samples/dti-example-2025, its previous round samples/dti-example-2024 and the example criteria decision
## samples/dti-example-2025-quyet-dinh.docx (python -m samples.dti2025)
samples: $(STAMP)
	$(BIN)/python -m samples.generate samples/hanam-2022 samples/hoabinh-2017
	$(BIN)/python -m samples.dti2025 samples/dti-example-2025 samples/dti-example-2024 \
		samples/dti-example-2025-quyet-dinh.docx

clean:
	rm -rf $(OUT) $(VENV) .pytest_cache .mypy_cache .ruff_cache

## bench: issue 15's goals, measured as ratios in one run: a province's round of distinct agencies
## (20 sở/ban/ngành + 100 xã/phường, ≈ 60% xlsx, 25% docx, 15% pdf; benchmarks/rounds.py) ingested,
## scored and ranked, each reader against its raw-read floor, fixed costs, peak RSS of the whole process
## tree, workspace size, and the 12,000 extrapolation; PASS/FAIL per goal, every figure in out/bench.json.
## A few minutes on 2 cores. EGOV=<a virtualenv's bin> measures another checkout (e.g. the "before"):
##   make bench EGOV=../main/.venv/bin BENCH_JSON=out/bench-before.json
EGOV ?= $(BIN)
BENCH_JSON ?= $(OUT)/bench.json
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --round province --egov $(EGOV) --json $(BENCH_JSON) \
		--cache $(OUT)/bench-cache

## bench-national: the same on the national round of 12,000 agencies, measured fully (no extrapolation);
## about half an hour today on an idle 2-core machine (the goal: ingest ≤ 10 min)
bench-national: $(STAMP)
	$(BIN)/python benchmarks/bench.py --round national --egov $(EGOV) --json $(OUT)/bench-national.json \
		--cache $(OUT)/bench-cache

## bench-hostile: wall time and peak memory (whole process tree) of ingesting a hostile folder;
## goals < 120 s and < 2 GiB on a 2-core machine (benchmarks/bench_hostile.py)
bench-hostile: $(STAMP)
	$(BIN)/python benchmarks/bench_hostile.py --jobs 2

## bench-interrupt: seconds from Ctrl-C to the end of `egov ingest`; goal < 2 s
bench-interrupt: $(STAMP)
	$(BIN)/python benchmarks/bench_interrupt.py
