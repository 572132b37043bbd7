"""Given a file's bytes, decode_document returns LF text or says plainly what is wrong."""

from __future__ import annotations

import codecs

import pytest

from tracker.postmortem import DocumentError, decode_document


def test_crlf_and_cr_become_lf() -> None:
    assert decode_document(b"# T\r\n\r\n- a\rb\n", name="x.md") == "# T\n\n- a\nb\n"


def test_utf8_bom_is_accepted_and_dropped() -> None:
    data = codecs.BOM_UTF8 + "# Café outage\n".encode()
    assert decode_document(data, name="x.md") == "# Café outage\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_accepted(encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + "# Outage\r\nText\r\n".encode(encoding)
    assert decode_document(data, name="x.md") == "# Outage\nText\n"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(DocumentError, match=r"x\.md: file is empty"):
        decode_document(data, name="x.md")


def test_binary_file_is_refused() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(DocumentError, match="binary"):
        decode_document(data, name="logo.png")


def test_control_character_soup_is_refused() -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50
    with pytest.raises(DocumentError, match="binary"):
        decode_document(data, name="blob.bin")


def test_invalid_utf8_names_the_byte_offset() -> None:
    data = b"# Outage\nCaf\xe9 closed\n"
    with pytest.raises(DocumentError, match=r"byte offset 12") as info:
        decode_document(data, name="latin1.md")
    assert "UTF-8" in str(info.value)
    assert "\n" not in str(info.value)


def test_too_large_names_size_and_limit() -> None:
    data = b"a" * 50_000_000
    with pytest.raises(DocumentError, match=r"50,000,000 bytes.*10,000,000-byte limit"):
        decode_document(data, name="huge.md")


def test_document_error_is_a_value_error() -> None:
    assert issubclass(DocumentError, ValueError)
