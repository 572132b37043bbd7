"""Post-mortem documents -> ParsedPostmortem (pure: no database, no network)."""

from tracker.postmortem.parser import parse_postmortem
from tracker.postmortem.reader import DocumentError, decode_document

__all__ = ["DocumentError", "decode_document", "parse_postmortem"]
