"""Post-mortem documents -> ParsedPostmortem (pure: no database, no network).

The parser is imported on first use, so that modules needing only the result types
(`tracker.postmortem.model`) do not pay for it on every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.postmortem.parser import parse_postmortem
    from tracker.postmortem.reader import DocumentError, decode_document

__all__ = ["DocumentError", "decode_document", "parse_postmortem"]


def __getattr__(name: str) -> Any:
    if name == "parse_postmortem":
        from tracker.postmortem.parser import parse_postmortem

        return parse_postmortem
    if name in {"DocumentError", "decode_document"}:
        from tracker.postmortem import reader

        return getattr(reader, name)
    raise AttributeError(f"module 'tracker.postmortem' has no attribute {name!r}")
