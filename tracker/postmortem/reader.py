"""Bytes of an uploaded file -> text, refusing what is not a readable document.

The importer is pointed at arbitrary paths, so it must say plainly when a file is empty,
binary, in an unknown encoding or too large, instead of importing garbage.
"""

from __future__ import annotations

import codecs

from tracker.errors import UserInputError
from tracker.postmortem.docx_reader import docx_to_text, is_docx

__all__ = ["DocumentError", "decode_document"]


class DocumentError(UserInputError, ValueError):
    """A file that cannot be read as a post-mortem; the message says what to do."""


_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}


def decode_document(data: bytes, *, name: str, max_bytes: int = 10_000_000) -> str:
    """Decode a post-mortem file to LF text.

    Text files may be UTF-8, UTF-8 with BOM or UTF-16 with BOM; a Word .docx file is read
    with python-docx into the same Markdown-like text (headings, lists, tables).
    """
    if len(data) > max_bytes:
        raise DocumentError(
            f"{name}: file is {len(data):,} bytes, over the {max_bytes:,}-byte limit; "
            "import a smaller document or split it"
        )
    text = _read_docx(data, name) if is_docx(data, name) else _decode(data, name)
    if not text.strip():
        raise DocumentError(f"{name}: file is empty; export the post-mortem with its text")
    _refuse_binary(text, name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_docx(data: bytes, name: str) -> str:
    try:
        return docx_to_text(data)
    except Exception as exc:  # python-docx raises many kinds on a damaged archive
        raise DocumentError(
            f"{name}: cannot be read as a Word document ({type(exc).__name__}); "
            "re-save it as .docx or export it as Markdown or HTML"
        ) from None


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                f"{name}: invalid UTF-16 at byte {exc.start}; re-save the file as UTF-8"
            ) from None
    if b"\x00" in data:
        raise DocumentError(
            f"{name}: looks like a binary file (contains NUL bytes); "
            "import the post-mortem as text (Markdown, reStructuredText, HTML or plain text) "
            "or as a Word .docx file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{name}: not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start}); re-save the file as UTF-8"
        ) from None


def _refuse_binary(text: str, name: str) -> None:
    """Reject text that is mostly control characters: decodable, but not a document."""
    sample = text[:65536]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in _CONTROL_OK) or ch == "\x00")
    if "\x00" in sample or odd > max(8, len(sample) // 10):
        raise DocumentError(
            f"{name}: looks like a binary file (mostly control characters); "
            "import the post-mortem as text"
        )
