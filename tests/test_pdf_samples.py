"""The Hà Nam sample pdfs (ruled criteria tables after pages of prose) read as they were before
unruled tables and published ranking tables were added to the pdf reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from egovcli.ingest.readers import pdf as pdf_extractor
from samples.generate import Sample, hanam_2022_round, paired

COMMITTED = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"
PDF_SAMPLES = [sample for sample in hanam_2022_round() if sample.format == "pdf"]


@pytest.mark.parametrize("sample", PDF_SAMPLES, ids=[sample.file for sample in PDF_SAMPLES])
def test_sample_pdf_criteria_as_written(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    path = COMMITTED / sample.file
    extracted = pdf_extractor.extract(path)
    assert (extracted.agency, extracted.period, extracted.problems) == (sample.spec.agency, "2022", [])
    written = {p.path: row.diem_tu_danh_gia for row, p in paired(sample.spec.rows) if p.kind == "criterion"}
    scores = {o.indicator: o.raw_value for o in extracted.observations if o.kind == "self_score"}
    assert len(written) == 82 and {path: scores.get(path) for path in written} == written
    assert all(
        o.location.startswith("trang ") and ", bảng 1, " in o.location
        for o in extracted.observations
        if o.kind == "self_score" and o.indicator in written
    )
    assert not [o for o in extracted.observations if o.kind == "published_score"]

    monkeypatch.setattr(pdf_extractor, "aligned_tables", lambda lines: ([], set()))
    assert pdf_extractor.extract(path).observations == extracted.observations  # prose pages hold no table
