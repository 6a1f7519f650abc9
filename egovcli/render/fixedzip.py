"""Workbooks written byte for byte the same from the same content: fixed timestamps in the zip."""

from __future__ import annotations

import datetime
import io
import re

FIXED_TIME = datetime.datetime(1980, 1, 1)  # for every timestamp in the file: same content, same bytes
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*")


def normalised_zip(saved: bytes) -> bytes:
    """The saved workbook with fixed timestamps (zip entries, document 'modified' date). Each part
    is copied through in chunks (a national round's detail sheet is hundreds of MB unzipped)."""
    import shutil
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.external_attr = 0o600 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            if entry.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                                     src.read(entry))
                dst.writestr(info, data)
                continue
            with src.open(entry) as part, dst.open(info, "w") as copy:
                shutil.copyfileobj(part, copy, 1 << 20)
    return out.getvalue()
