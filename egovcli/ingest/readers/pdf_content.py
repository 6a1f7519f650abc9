"""A PDF page's content streams parsed in one pass, for pdfminer's interpreter.

pdfminer tokenises a content stream one character state at a time (a method call and a regular
expression per state, a debug log call per token and object): on a report PDF that parsing was half
of the reading time. `Interpreter` parses each content stream with one regular expression per token
into the very objects pdfminer's `PDFContentParser` would give (numbers, strings, names, keywords,
arrays, dicts; the same rules for odd input: a lone sign is no number, an odd hex digit is a byte,
an unknown escape is dropped) and runs the operators as `PDFPageInterpreter.execute` does. What it
does not reproduce byte for byte — inline images, procedures, a name with a #xx escape, a string or
token cut by the end of a stream, an octal escape over 255, a backslash before a carriage return,
an unterminated array or dict, a stream that cannot be decoded — is left to pdfminer's own parser
for the whole page's streams. tests/test_pdf_content.py holds it to pdfminer's parser.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import KWD, LIT, PSKeyword, keyword_name, literal_name

log = logging.getLogger("pdfminer.pdfinterp")  # pdfminer's warnings about circular streams, as its own

# one token after blanks, as pdfminer's PSBaseParser._parse_main starts them (NUL is skipped there)
_TOKEN = re.compile(
    rb"[\s\x00]*(?:"
    rb"(?P<int>[-+0-9][0-9]*+)(?!\.)"
    rb"|(?P<real>[-+0-9]?[0-9]*\.[0-9]*)"
    rb"|(?P<kw>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|(?P<name>/[^#/%\[\]()<>{}\s]*\#?)"
    rb"|(?P<str>\()"
    rb"|(?P<dict><<)"
    rb"|(?P<hex><[\s0-9a-fA-F]*)"
    rb"|(?P<dictend>>>)"
    rb"|(?P<gt>>)"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<other>[^\s\x00])"
    rb")"
)
_STRING_STOP = re.compile(rb"[()\\]")
_SPACE = re.compile(rb"\s")
_OCTAL = re.compile(rb"[0-7]{1,3}")
_ESCAPES = {ord(k): v for k, v in ((b"b", 8), (b"t", 9), (b"n", 10), (b"f", 12), (b"r", 13))} | {
    ord(c): ord(c) for c in "()\\"
}
_UNSUPPORTED = frozenset(KWD(word) for word in (b"BI", b"ID", b"EI", b"{", b"}"))
_ARRAY_BEGIN, _ARRAY_END = KWD(b"["), KWD(b"]")
_TRUE, _FALSE = b"true", b"false"


class _Unsupported(Exception):
    """Input whose parse only pdfminer's own parser gives exactly."""


def _string(data: bytes, pos: int) -> tuple[bytes, int]:
    """The literal string whose "(" ends at `pos`, and the position after its ")"."""
    out = bytearray()
    depth = 1
    while True:
        stop = _STRING_STOP.search(data, pos)
        if stop is None:
            raise _Unsupported  # cut by the end of the stream
        at = stop.start()
        out += data[pos:at]
        char = data[at]
        pos = at + 1
        if char == 0x5C:  # backslash
            if pos >= len(data) or data[pos] == 0x0D:
                raise _Unsupported
            octal = _OCTAL.match(data, pos)
            if octal:
                code = int(octal.group(), 8)
                if code > 255:
                    raise _Unsupported  # pdfminer asserts
                out.append(code)
                pos = octal.end()
            else:
                escaped = _ESCAPES.get(data[pos])
                if escaped is not None:
                    out.append(escaped)
                pos += 1  # an unknown escape (or a line break after "\") is dropped
        elif char == 0x28:  # (
            depth += 1
            out.append(char)
        else:  # )
            depth -= 1
            if not depth:
                return bytes(out), pos
            out.append(char)


def _hex(digits: bytes) -> bytes:
    """A hex string's bytes as pdfminer reads them: pairs, and a last odd digit as its own value."""
    digits = _SPACE.sub(b"", digits)
    whole = bytes.fromhex(digits[: len(digits) // 2 * 2].decode())
    return whole + bytes((int(digits[-1:], 16),)) if len(digits) % 2 else whole


def parse(streams: Sequence[PDFStream]) -> list[Any]:
    """The objects pdfminer's content parser yields for `streams`, read as one sequence (a stream
    boundary separates tokens); raises `_Unsupported` where only pdfminer's parser is exact."""
    out: list[Any] = []
    contexts: list[tuple[str, list[Any]]] = []  # open arrays ("a") and dicts ("d"), innermost last
    current = out
    match = _TOKEN.match
    keywords: dict[bytes, PSKeyword] = {}
    for stream in streams:
        try:
            data = stream.get_data()
        except Exception as exc:  # pdfminer raises it mid-page: its parser reports it
            raise _Unsupported from exc
        pos, end = 0, len(data)
        while pos < end:
            token = match(data, pos)
            if token is None:  # only blanks left
                break
            kind = token.lastgroup
            text = token[kind]  # type: ignore[index]
            pos = token.end()
            if kind == "int":
                with suppress(ValueError):  # a lone sign: pdfminer drops it
                    current.append(int(text))
            elif kind == "kw":
                keyword = keywords.get(text)
                if keyword is None:
                    if text in (_TRUE, _FALSE):
                        current.append(text == _TRUE)
                        continue
                    keyword = keywords[text] = KWD(text)
                    if keyword in _UNSUPPORTED:
                        raise _Unsupported
                current.append(keyword)
            elif kind == "real":
                with suppress(ValueError):  # a lone dot: pdfminer drops it
                    current.append(float(text))
            elif kind == "name":
                if text.endswith(b"#") or (text == b"/" and pos == end):  # a bare "/": pdfminer reads on
                    raise _Unsupported
                try:
                    current.append(LIT(str(text[1:], "utf-8")))
                except UnicodeDecodeError:
                    current.append(LIT(text[1:]))
            elif kind == "str":
                value, pos = _string(data, pos)
                current.append(value)
            elif kind == "hex":
                if pos >= end:
                    raise _Unsupported  # cut by the end of the stream
                current.append(_hex(text[1:]))
            elif kind == "dict":
                contexts.append(("d", current))
                current = []
            elif kind == "dictend":
                if contexts and contexts[-1][0] == "d":
                    if len(current) % 2:
                        raise _Unsupported  # pdfminer raises a syntax error
                    pairs = iter(current)
                    entries = {literal_name(k): v for k, v in zip(pairs, pairs, strict=True)}
                    current = contexts.pop()[1]
                    current.append(entries)
            elif kind == "other":
                keyword = KWD(text)
                if keyword is _ARRAY_BEGIN:
                    contexts.append(("a", current))
                    current = []
                elif keyword is _ARRAY_END:
                    if contexts and contexts[-1][0] == "a":
                        items = current
                        current = contexts.pop()[1]
                        current.append(items)
                elif keyword in _UNSUPPORTED:
                    raise _Unsupported
                else:
                    current.append(keyword)
            elif kind == "gt" and pos == end:
                raise _Unsupported  # pdfminer reads on: ">" and a next stream's ">" end a dict
            # a lone ">" and comments give nothing
    if contexts:
        raise _Unsupported  # pdfminer drops an unterminated array's objects
    return out


# (interpreter class, keyword) → its method's name and arity, None when it has none
_OPERATORS: dict[tuple[type, PSKeyword], tuple[str, int] | None] = {}


class Interpreter(PDFPageInterpreter):
    """pdfminer's page interpreter, its content streams parsed by `parse`."""

    def execute(self, streams: Sequence[object]) -> None:
        valid: list[PDFStream] = []
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is not None and stream.objid not in self.parent_stream_ids:
                valid.append(stream)
        try:
            objects = parse(valid)
        except _Unsupported:
            super().execute(streams)
            return
        # pdfminer's own bookkeeping of the streams being executed (circular Form XObjects)
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:
                log.warning("Execute called on non-indirect object (inline image?) %r", stream)
            elif stream.objid in self.parent_stream_ids:
                log.warning("Refusing to execute circular reference to content stream %d", stream.objid)
            else:
                self.stream_ids.add(stream.objid)
        cls = type(self)
        for obj in objects:
            if not isinstance(obj, PSKeyword):
                self.argstack.append(obj)
                continue
            key = (cls, obj)
            if key in _OPERATORS:
                operator = _OPERATORS[key]
            else:
                name = keyword_name(obj)
                method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
                func = getattr(self, method, None)
                operator = _OPERATORS[key] = None if func is None else (method, func.__code__.co_argcount - 1)
            if operator is None:
                if settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {keyword_name(obj)!r}")
                continue
            method, nargs = operator
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    getattr(self, method)(*args)
            else:
                getattr(self, method)()
