"""What text an extract may hold, and where in a CSV file a byte that breaks the rule sits.

Cells are UTF-8 text of at most `MAX_CELL_CHARS` characters without control characters; a CSV line
is at most `MAX_LINE_BYTES`. Tab, line feed and carriage return are allowed: a quoted CSV value may
span lines, Excel keeps all three in a cell, and both databases store them. Every other C0 control
(U+0000-U+001F), DEL (U+007F) and the C1 controls (U+0080-U+009F) are refused: PostgreSQL cannot
store U+0000, an .xlsx report cannot hold most of them, none of them is visible on a page, and
some (ESC) act on a terminal. C1 characters in UTF-8 text are almost always text decoded twice.

DuckDB reports a line it cannot decode or that is too long by its record number and the byte
where the record starts; `locate` turns that into the physical line and the column of the first
offending byte, reading only those records.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

CONTROL_CLASS = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]"  # refused characters, Python and RE2
CONTROL = re.compile(CONTROL_CLASS)
MAX_CELL_CHARS = 32_767  # Excel's limit for a cell, so every value also fits a report workbook
MAX_LINE_BYTES = 2 << 20  # 2 MiB
_CHUNK = 1 << 22


def control_message(code: int, position: int) -> str:
    """The problem message for a control character `code` at 1-based character `position`."""
    return f"control character U+{code:04X} at character {position} (not allowed in a cell)"


def length_message(length: int) -> str:
    """The problem message for a cell of `length` characters, over the limit."""
    return f"longer than {MAX_CELL_CHARS:,} characters ({length})"


def text_problem(text: str) -> str | None:
    """What makes a cell's text unacceptable (too long, a control character), or None."""
    if len(text) > MAX_CELL_CHARS:
        return length_message(len(text))
    found = CONTROL.search(text)
    if found is not None:
        return control_message(ord(found.group()), found.start() + 1)
    return None


def printable(text: str) -> str:
    """`text` with every control character (tab and line breaks too) written as an escape."""
    return re.sub(r"[\x00-\x1F\x7F-\x9F]", lambda m: f"\\x{ord(m.group()):02x}", text)


def split_record(text: str) -> list[str]:
    """The fields of one CSV record (comma-separated, `"` quotes doubled inside quotes)."""
    fields, i = [], 0
    while True:
        if text.startswith('"', i):
            end = i + 1
            while (end := text.find('"', end)) != -1 and text.startswith('"', end + 1):
                end += 2
            end = len(text) if end == -1 else end
            value = text[i + 1 : end].replace('""', '"')
            comma = text.find(",", end)
            value += text[end + 1 : len(text) if comma == -1 else comma]  # text after the quote
        else:
            comma = text.find(",", i)
            value = text[i : len(text) if comma == -1 else comma]
        fields.append(value)
        if comma == -1:
            return fields
        i = comma + 1


def field_index(prefix: str) -> int:
    """The 0-based field in which the record text `prefix` ends."""
    return sum(part.count(",") for part in prefix.split('"')[0::2])


def header_end(data: bytes) -> int | None:
    """Where the first record of `data` ends (its line break), or None if not within `data`."""
    quotes, start = 0, 0
    while (pos := data.find(b"\n", start)) != -1:
        quotes += data.count(b'"', start, pos)
        if quotes % 2 == 0:
            return pos
        start = pos + 1
    return None


def first_undecodable(data: bytes, *, complete: bool) -> int | None:
    """The offset of the first byte of `data` that is not UTF-8 (None if all are).

    When `complete` is false `data` was cut off, so a character cut in two at its end is fine.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not complete and exc.reason == "unexpected end of data":
            return None
        return exc.start
    return None


@dataclass(frozen=True)
class Spot:
    """Where in a CSV file: the 1-based physical line, the 0-based field, and the bytes there."""

    line: int
    field: int
    found: bytes  # from the offending byte to the end of its line, at most 64 bytes


def _lines_before(path: Path, offsets: list[int]) -> dict[int, int]:
    """For each byte offset, the number of line breaks before it (one pass over the file)."""
    counts, seen, read = {}, 0, 0
    with path.open("rb") as fh:
        for offset in sorted(set(offsets)):
            while read < offset:
                chunk = fh.read(min(_CHUNK, offset - read))
                if not chunk:
                    break
                seen += chunk.count(b"\n")
                read += len(chunk)
            counts[offset] = seen
    return counts


def locate(path: Path, starts: list[int], *, encoding: bool) -> dict[int, Spot]:
    """For records starting at these byte offsets: their first undecodable byte (`encoding`), or
    where they pass `MAX_LINE_BYTES`. Records where nothing is found are left out."""
    spots: dict[int, tuple[int, int, bytes]] = {}
    with path.open("rb") as fh:
        for start in starts:
            fh.seek(max(start - 3, 0))
            before = fh.read(min(start, 3))
            if before and not before.endswith((b"\n", b"\r")) and before != codecs.BOM_UTF8:
                continue  # not where a record starts: leave it to DuckDB's own numbers
            data = fh.read(MAX_LINE_BYTES + 1)
            if encoding:
                bad = first_undecodable(data, complete=len(data) <= MAX_LINE_BYTES)
                if bad is None:
                    continue
                at, found = bad, data[bad : bad + 64].split(b"\n")[0]
            else:
                at, found = min(len(data), MAX_LINE_BYTES), b""
            prefix = data[:at].decode("utf-8", errors="replace")
            spots[start] = (prefix.count("\n"), field_index(prefix), found)
    before = _lines_before(path, list(spots))
    return {
        start: Spot(before[start] + extra + 1, field, found)
        for start, (extra, field, found) in spots.items()
    }


def encoding_message(found: bytes) -> str:
    """The problem message for `found`, text starting with bytes that are not UTF-8."""
    shown = " ".join(f"{b:02X}" for b in found[:2])
    gbk = any(_decodes(found[: len(found) - cut], "gb18030") for cut in range(4))
    hint = " (it looks like GBK/GB18030)" if gbk and found[:1] >= b"\x81" else ""
    return f"not UTF-8 text: bytes {shown}...; save the file as UTF-8{hint}"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return bool(data)
