"""Is this text an e-mail address? The standard library's RFC 5322 parser decides. Pure.

Used by the planner (an owner that does not resolve to an address gets no reminder) and by the
settings (a `[people]` e-mail or the escalation address must be one).
"""

from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import Address
from functools import lru_cache


@lru_cache(maxsize=8192)  # the planner asks once per action; owners repeat
def is_address(text: str) -> bool:
    """True for `alice@corp.example`; False for `@tomasz`, `Ana Ferreira@example.com`, `bob`."""
    if "@" not in text or text != text.strip():
        return False
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError):
        return False
    return bool(parsed.username) and bool(parsed.domain)
