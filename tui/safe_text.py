"""Show text from documents, Jira and people literally: no markup, no terminal escapes.

Everything user-supplied reaches the screen as a `rich.text.Text` built here, never as a
markup string; control characters (ESC above all) become visible symbols so that a title
like ``[bold red]x[/] [@click=app.quit]q \\x1b[31m`` shows exactly as typed.
"""

from __future__ import annotations

from rich.text import Text

# C0 controls become their Unicode "control picture" (ESC -> ␛); DEL -> ␡; C1 -> \x9b.
_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20)}
_TABLE[0x7F] = "\u2421"
_TABLE.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})
# Bidirectional overrides could reorder what is shown; make them visible too.
_TABLE.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_ONE_LINE = dict(_TABLE)
_MULTI_LINE = dict(_TABLE)
_MULTI_LINE[0x0A] = "\n"
_MULTI_LINE[0x09] = "    "


def clean(value: object, *, multiline: bool = False) -> str:
    """The text of `value` with control characters made visible (newlines kept if multiline)."""
    if value is None:
        return ""
    text = str(value)
    if multiline:
        text = text.replace("\r\n", "\n")
        return text.translate(_MULTI_LINE)
    return text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ").translate(_ONE_LINE)


def literal(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A Text that shows `value` as typed (markup is never parsed on this path)."""
    return Text(clean(value, multiline=multiline), style=style, end="")
