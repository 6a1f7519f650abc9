"""Shared test set-up: the repository root is importable (for samples.generate); `writer` and
`calc`, the LibreOffice a test converts with, checked once per session by a real conversion."""

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# egov speaks Vietnamese unless asked; the tests assert its Vietnamese, whatever the machine's locale
# (a CI image's LANG=en_US.UTF-8 would otherwise switch it, egov and the `egov` it runs, to English)
os.environ["EGOV_LANG"] = "vi"
# what egov keeps in the user's cache folder (the compiled indicator catalogue) goes to the session's own
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="egov-tests-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    """A test that runs egov in English (`--lang en`) leaves the next one in Vietnamese."""
    yield
    from egovcli.lang import VI, use

    use(VI)


@pytest.fixture(scope="session")
def writer(tmp_path_factory: pytest.TempPathFactory) -> str:
    """soffice, able to convert .doc/.odt/.rtf (LibreOffice Writer); else the test is skipped."""
    from helpers import require_libreoffice

    return require_libreoffice("Writer", tmp_path_factory.mktemp("writer"))


@pytest.fixture(scope="session")
def calc(tmp_path_factory: pytest.TempPathFactory) -> str:
    """soffice, able to convert .xls/.ods (LibreOffice Calc); else the test is skipped."""
    from helpers import require_libreoffice

    return require_libreoffice("Calc", tmp_path_factory.mktemp("calc"))
