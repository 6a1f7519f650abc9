"""Who reports: districts named by their letterheads in every way the seeds and the field print them
(tests/shapes.py), each read as its own agency; two districts of one province never merge."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapes

from egovcli.agencies import agency_key, infer_group
from egovcli.ingest import ingest_folder
from egovcli.ingest.readers import docx as docx_extractor
from egovcli.ingest.readers import xlsx as xlsx_extractor
from egovcli.workspace import Workspace

QUIRKS = list(shapes.district_letterheads(*shapes.DISTRICTS[0]))
WRITERS = {"docx": (shapes.district_docx, docx_extractor), "xlsx": (shapes.district_xlsx, xlsx_extractor)}


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize("quirk", QUIRKS)
def test_each_letterhead_names_its_own_district(tmp_path: Path, fmt: str, quirk: str) -> None:
    write, extractor = WRITERS[fmt]
    for level, short, place in shapes.DISTRICTS:
        letterhead = shapes.district_letterheads(level, short, place)[quirk]
        extracted = extractor.extract(write(tmp_path / f"{place}.{fmt}", letterhead))
        assert extracted.agency is not None, (quirk, place)
        assert agency_key(extracted.agency) == agency_key(f"UBND {level} {place}"), (quirk, extracted.agency)
        assert infer_group(extracted.agency) == "district"
        assert extracted.observations  # the figures are read too


def test_letterhead_names_keep_the_printed_spelling(tmp_path: Path) -> None:
    """A letterhead in capitals is shown re-cased, its abbreviations kept; ordinary case as printed."""
    level, short, place = shapes.DISTRICTS[2]
    letterheads = shapes.district_letterheads(level, short, place)
    shown = {
        quirk: docx_extractor.extract(shapes.district_docx(tmp_path / f"{quirk}.docx", letterheads[quirk]))
        .agency
        for quirk in ("parent_over_unit", "committee_over_level", "abbreviated_level",
                      "abbreviated_level_ordinary_case")
    }
    assert shown == {
        "parent_over_unit": "UBND thị xã Duy Tiên",
        "committee_over_level": "Ủy ban nhân dân thị xã Duy Tiên",
        "abbreviated_level": "UBND TX. Duy Tiên",
        "abbreviated_level_ordinary_case": "UBND TX. Duy Tiên",
    }


def test_districts_of_one_province_never_merge(tmp_path: Path) -> None:
    """Every district's report, in every letterhead, all in one folder of the round: one agency per
    district (whatever its letterhead), four districts, none taking the province's name."""
    folder = tmp_path / "bao-cao-2022"  # a guess from the path would give every file one name
    folder.mkdir()
    expected: dict[str, str] = {}
    for level, short, place in shapes.DISTRICTS:
        for quirk, letterhead in shapes.district_letterheads(level, short, place).items():
            for fmt, (write, _extractor) in WRITERS.items():
                name = f"{place}-{quirk}.{fmt}"
                write(folder / name, letterhead)
                expected[name] = agency_key(f"UBND {level} {place}")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(folder, ws, jobs=1)
        assert {f.file: f.status for f in report.files if f.status == "failed"} == {}
        keys = {Path(s.display_path).name: s.agency_key for s in ws.submissions()}
        assert keys == expected
        groups = {(so.agency, so.group) for so in ws.observations()}
    assert len({agency_key(agency) for agency, _ in groups}) == len(shapes.DISTRICTS)
    assert {group for _, group in groups} == {"district"}
