"""The compiled catalogue (egovcli.indicators.compiled): read from the user's cache, it is exactly
what reading catalogue.yaml makes; a stale, damaged or unwritable cache is never used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from egovcli.indicators import Matcher, compiled, load_catalogue, matcher


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own, and no compiled catalogue in memory before or after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    compiled.shipped.cache_clear()
    yield tmp_path / "egov" / compiled.CACHE_NAME
    compiled.shipped.cache_clear()


def _fresh() -> tuple[object, object]:
    """What the matcher makes of catalogue.yaml, without any cache."""
    catalogue = load_catalogue()
    return catalogue, matcher._build_index(matcher._pairs(catalogue))


def test_the_cached_catalogue_is_the_one_read_from_yaml(cache: Path) -> None:
    made = compiled.shipped()
    assert cache.is_file()
    compiled.shipped.cache_clear()
    kept = compiled.shipped()  # from the file
    assert kept is not made
    assert kept == made == _fresh()
    labels = ("Tổng số CBCCVC", "Số lượng máy tính để bàn (PC) tại các đơn vị sự nghiệp trực thuộc",
              "Giải pháp khác: Ổ cứng di động", "Tỉ lệ DVC TT mức độ 4", "Ghi chú về hạ tầng mạng")
    built = matcher._build_index(matcher._pairs(load_catalogue()))
    for label in labels:
        assert matcher._match_in(kept[1], label) == matcher._match_in(built, label), label
    assert Matcher().candidates("Số lượng máy chủ đang hoạt động")  # (built when first asked for)


def test_a_cache_of_another_catalogue_or_code_is_rebuilt(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key covers the catalogue's bytes and the code: a file under another key is not used."""
    compiled.shipped()
    monkeypatch.setattr(compiled, "_key", lambda: b"\x01" * 32)  # as after an edit of catalogue.yaml
    compiled.shipped.cache_clear()
    assert compiled.shipped() == _fresh()
    assert cache.read_bytes()[:32] == b"\x01" * 32  # written again under the new key


def test_a_damaged_cache_is_rebuilt(cache: Path) -> None:
    compiled.shipped()
    data = bytearray(cache.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cache.write_bytes(bytes(data))
    compiled.shipped.cache_clear()
    assert compiled.shipped() == _fresh()
    assert cache.read_bytes() != bytes(data)  # written again, whole
    cache.write_bytes(b"")
    compiled.shipped.cache_clear()
    assert compiled.shipped() == _fresh()


def test_an_unwritable_cache_folder_is_done_without(cache: Path) -> None:
    cache.parent.parent.mkdir(parents=True, exist_ok=True)
    cache.parent.write_text("a file where the folder would be")
    assert compiled.shipped() == _fresh()
    assert list(cache.parent.parent.iterdir()) == [cache.parent]  # no temporary file left


def test_code_that_cannot_be_read_is_never_cached(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the code's text (an install from a zip) there is no key: built each time, never kept."""
    monkeypatch.setattr(matcher, "__file__", str(cache.parent / "nowhere.py"))
    assert compiled._key() == b""
    assert compiled.shipped() == _fresh()
    assert not cache.exists()
