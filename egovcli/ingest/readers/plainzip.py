"""A small zip read once: its central directory parsed with struct, exactly as zipfile reads it
(or not at all: then zipfile reads the file), and the parts the zip guard checked put back together
for a reader, stored uncompressed (`rebuilt`), so that nothing decompresses them twice;
a small part is decompressed straight from those bytes (`inflated`, with zlib-ng: zlib's format
and checks at twice its speed), exactly as zipfile would yield it."""

from __future__ import annotations

import os
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple, cast

from zlib_ng import zlib_ng  # zlib's format and checks, inflating at twice its speed


class Member(NamedTuple):
    """A part as a zip's central directory lists it: the fields of `zipfile.ZipInfo` the zip
    guard reads, and its name's bytes."""

    filename: str
    orig_filename: str
    flag_bits: int
    compress_type: int
    CRC: int
    compress_size: int
    file_size: int
    header_offset: int
    raw_name: bytes

    def is_dir(self) -> bool:
        return self.filename.endswith("/")


Part = zipfile.ZipInfo | Member  # a part as zipfile or `read` lists it
_new = tuple.__new__  # a Member made without the Python call of a NamedTuple's __new__


@dataclass(frozen=True, slots=True)
class Plain:
    """A small zip read whole, whose central directory zipfile reads exactly as `members` lists it."""

    data: bytes
    members: list[Member]


# a zip up to this size is read whole, once; a larger one (pictures, most often) is left to zipfile,
# which reads only the parts that matter, and its pictures are not copied for calamine
PLAIN_MAX = 2 << 20
_END = struct.Struct("<4s4H2LH")  # zipfile's structEndArchive
_ENTRY = struct.Struct("<4s4B4HL2L5H2L")  # zipfile's structCentralDir
_ZIP64 = 0xFFFF_FFFF  # a size or offset held in a zip64 extra field


def read(path: Path) -> Plain | None:
    """`path` read whole and its central directory parsed with struct (zipfile's own parse costs
    more than reading the parts); None when zipfile must read it: a file over `PLAIN_MAX`,
    anything zipfile would read otherwise or refuse (an archive comment, zip64, bytes before the
    zip, a cut or odd directory, a name with a NUL), or no zip at all."""
    try:
        with open(path, "rb") as fh:  # (pathlib's open costs more than the read)
            return read_rest(fh)
    except OSError:
        return None


def read_rest(fh: IO[bytes], head: bytes = b"") -> Plain | None:
    """`read` of an open file whose first bytes, `head`, were read already."""
    try:
        size = os.fstat(fh.fileno()).st_size
        if not max(_END.size, len(head)) <= size <= PLAIN_MAX:
            return None
        # its size and a byte more, not `PLAIN_MAX`: a 2 MB buffer costs more than reading a report
        data = head + fh.read(size + 1 - len(head))
    except OSError:
        return None
    return _directory(data) if len(data) == size else None  # (a file that changed: zipfile reads it)


def _directory(data: bytes) -> Plain | None:
    """The members of a zip held in `data`, exactly as zipfile's `infolist` reads them; None for
    anything zipfile would read another way or refuse."""
    end = len(data) - _END.size
    signature, _, _, _, _, size, offset, comment = _END.unpack_from(data, end)
    if (signature != b"PK\x05\x06" or comment or offset + size != end
            or (end >= 20 and data[end - 20:end - 16] == b"PK\x06\x07")):  # zip64's locator
        return None
    members = []
    at = offset
    while at < end:
        if at + _ENTRY.size > end:
            return None
        (signature, _, _, version, _, flags, method, _, _, crc, packed, size, name_length, extra_length,
         comment_length, _, _, _, header) = _ENTRY.unpack_from(data, at)
        name_end = at + _ENTRY.size + name_length
        at = name_end + extra_length + comment_length
        if (signature != b"PK\x01\x02" or version > 63 or at > end or _ZIP64 in (packed, size, header)
                or (extra_length and not _plain_extra(data[name_end:name_end + extra_length]))):
            return None
        raw = data[name_end - name_length:name_end]
        try:
            name = name_of(raw, flags)
        except UnicodeDecodeError:
            return None
        if not name or "\x00" in name:
            return None
        members.append(_new(Member, (name, name, flags, method, crc, packed, size, header, raw)))
    return Plain(data, members)


def name_of(raw: bytes, flags: int) -> str:
    """A part's name as zipfile decodes it: UTF-8 when its flags say so, else cp437 (an ASCII name
    reads the same in both, through the built-in codec: cp437's is Python)."""
    return raw.decode("ascii" if raw.isascii() else "utf-8" if flags & 0x800 else "cp437")


def _plain_extra(extra: bytes) -> bool:
    """Whether zipfile reads a member's extra field without complaint (every field whole)."""
    while len(extra) >= 4:
        length = int.from_bytes(extra[2:4], "little")
        if length + 4 > len(extra):
            return False
        extra = extra[length + 4:]
    return True


PART_MAX = 1 << 20  # a part decompressed straight from the bytes (`inflated`), at most, declared and packed
BAD_STREAM = cast("type[Exception]", zlib_ng.error)  # (zlib-ng's stub calls it an instance)
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # a local file header
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # a local header's signature … its name and extra lengths
SIMPLE_FLAGS = 0x800 | 0x8 | 0x6  # a UTF-8 name, a data descriptor, deflate's level


def rebuilt(plain: Plain | None, checked: dict[int, bytes] | None) -> bytes | None:
    """The parts in `checked` (index in `plain.members`, in their order → the bytes the zip guard
    decompressed and checked) put back together as a zip, stored uncompressed; the parts no reader
    parses (pictures, themes, properties) are left out. None when nothing was checked."""
    if not plain or not checked or len(checked) >= 0xFFFF:
        return None
    out: list[bytes] = []
    directory: list[bytes] = []
    at = 0
    for index, data in checked.items():
        member = plain.members[index]
        flags, name = member.flag_bits & 0x800, member.raw_name  # (no data descriptor follows)
        fields = (flags, 0, 0, 33, member.CRC, len(data), member.file_size, len(name))  # 33: 1980-01-01
        out += (_LOCAL.pack(b"PK\x03\x04", 20, 0, *fields, 0), name, data)
        directory += (_ENTRY.pack(b"PK\x01\x02", 20, 0, 20, 0, *fields, 0, 0, 0, 0, 0, at), name)
        at += _LOCAL.size + len(name) + len(data)
    central = b"".join(directory)
    count = len(checked)
    return b"".join((*out, central, _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), at, 0)))


def local_header(raw: IO[bytes], info: Part) -> tuple[bytes, int, int] | None:
    """A part's local file header (its bytes, the lengths of the name and extra field after it),
    `raw` left just after it; None when it is cut short or is not a local header."""
    raw.seek(info.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        return None
    signature, name, extra = _LOCAL_HEADER.unpack(header)
    return (header, name, extra) if signature == b"PK\x03\x04" else None


def inflated(raw: IO[bytes], info: Part) -> bytes | None:
    """A small part's bytes decompressed straight from the file, exactly as zipfile would yield
    them (opening it through zipfile costs more than decompressing it); None for zipfile to read it
    (and say what is wrong) whenever that is not certain: a part over `PART_MAX` declared or packed,
    flags other than a UTF-8 name or a data descriptor, a local header that disagrees with the
    directory, a stream that does not end at its declared size, a CRC that does not match."""
    if (info.file_size > PART_MAX or info.compress_size > PART_MAX or info.flag_bits & ~SIMPLE_FLAGS
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or (local := local_header(raw, info)) is None):
        return None
    header, name, extra = local
    flags = int.from_bytes(header[6:8], "little")
    try:
        if name_of(raw.read(name), flags) != info.orig_filename:
            return None
    except UnicodeDecodeError:
        return None
    raw.seek(extra, 1)
    packed = raw.read(info.compress_size)
    if len(packed) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        data = packed
    else:
        stream = zlib_ng.decompressobj(-15)  # never more than one byte past the declared size
        try:
            data = stream.decompress(packed, info.file_size + 1)
        except BAD_STREAM:
            return None
        if not stream.eof:
            return None
    if len(data) != info.file_size or zlib_ng.crc32(data) != info.CRC:
        return None
    return data
