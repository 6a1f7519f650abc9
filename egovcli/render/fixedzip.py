"""Workbooks written byte for byte the same from the same content: fixed timestamps in the zip."""

from __future__ import annotations

import datetime
import io
import re

FIXED_TIME = datetime.datetime(1980, 1, 1)  # for every timestamp in the file: same content, same bytes
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*")


def normalised_zip(saved: bytes) -> bytes:
    """The saved workbook with fixed timestamps (zip entries, document 'modified' date)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(saved)) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.external_attr = 0o600 << 16
            if name == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
