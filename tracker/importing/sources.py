"""Where documents come from: files, directories walked for documents, and standard input."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

DOCUMENT_SUFFIXES = {
    ".md",
    ".markdown",
    ".txt",
    ".rst",
    ".text",
    ".html",
    ".htm",
    ".sql",
    ".adoc",
    ".org",
    ".mdx",
    ".docx",
    "",
}
MAX_BYTES = 10_000_000


@dataclass
class Source:
    label: str  # what we print: the path as given, or "-"
    source_key: str
    path: Path | None = None


def expand(paths: Sequence[str]) -> Iterator[Source | tuple[str, str]]:
    """Files as given, directories walked for documents; a missing path yields an error."""
    for raw in paths:
        if raw == "-":
            yield Source("-", "stdin")
            continue
        p = Path(raw).expanduser()
        if p.is_dir():
            found = sorted(
                q
                for q in p.rglob("*")
                if q.is_file()
                and q.suffix.lower() in DOCUMENT_SUFFIXES
                and not q.name.startswith(".")
            )
            if not found:
                yield (
                    raw,
                    "no post-mortem documents in this directory (.md, .txt, .rst, .html, .docx)",
                )
            for q in found:
                yield Source(str(q), str(q.resolve()), q)
        elif p.is_file():
            yield Source(raw, str(p.resolve()), p)
        elif p.exists():
            yield (raw, "not a regular file")
        else:
            yield (raw, "no such file or directory")


def read_bytes(source: Source) -> bytes:
    """The document as bytes: text formats are decoded by the reader, a .docx is a zip."""
    from tracker.postmortem import DocumentError

    if source.path is None:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        size = source.path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(
                f"file is {size / 1_000_000:.1f} MB, over the {MAX_BYTES // 1_000_000} MB limit for a post-mortem; "
                "is this the right file?"
            )
        data = source.path.read_bytes()
    return data
