"""Agency names and groups: departments (sở, ban, ngành) vs districts (UBND cấp huyện)."""

from __future__ import annotations

import re

from egovcli.textnorm import fold, nfc

DEPARTMENT = "department"
DISTRICT = "district"
GROUP_LABELS = {DEPARTMENT: "Sở, ban, ngành", DISTRICT: "UBND cấp huyện"}

_DISTRICT = re.compile(r"\b(ubnd|uy ban nhan dan)\s+(huyen|thi xa|thanh pho|quan)\b|^(huyen|thi xa|quan)\s")


def infer_group(name: str) -> str:
    """'UBND huyện Kim Bảng' → district; 'Sở Tài chính' → department."""
    return DISTRICT if _DISTRICT.search(fold(name)) else DEPARTMENT


def display_name(name: str) -> str:
    """The agency name as printed, NFC, without trailing punctuation; 'SỞ Y TẾ' becomes 'Sở Y tế'."""
    name = nfc(name).strip(" .,;:-")
    if name.isupper() and len(name) > 3:
        name = name.capitalize()
    return name


def name_from_path(display_path: str) -> str:
    """Fallback agency name: the folder a file sits in, else the file name ('so-y-te.docx' → 'so y te')."""
    parts = display_path.replace("\\", "/").split("/")
    source = parts[-2] if len(parts) > 1 else parts[-1].rsplit(".", 1)[0]
    return nfc(re.sub(r"[-_]+", " ", source))
