"""The help screen: every key binding, by screen, generated from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA: dict[str, list[tuple[str, str]]] = {
    "Action table": [
        ("↑ ↓ PgUp PgDn", "move; the next page loads as you near the end"),
        ("Home / End", "first / last action of the whole list"),
        ("click a header", "sort by that column (again: reverse)"),
    ],
    "Marks": [
        ("!! 3d overdue", "open and past its due date (red)"),
        ("!  in 2d / today", "due within the due-soon window (yellow)"),
        ("✓ / dim", "closed (done, verified, won't do)"),
    ],
}


def _key(b: Binding) -> str:
    return b.key_display or ", ".join(
        k.replace("right_square_bracket", "]")
        .replace("left_square_bracket", "[")
        .replace("slash", "/")
        .replace("question_mark", "?")
        for k in b.key.split(",")
    )


def help_lines(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) for each binding of a screen."""
    lines = []
    for b in bindings:
        if isinstance(b, Binding):
            text = b.description or b.action
            lines.append((_key(b), f"{text} — {b.tooltip}" if b.tooltip else text))
    return lines


def bindings_text(sections: Iterable[tuple[str, Iterable[BindingType]]]) -> Text:
    sections = list(sections)
    width = 2 + max(
        [len(k) for _, bindings in sections for k, _ in help_lines(bindings)]
        + [len(k) for rows in EXTRA.values() for k, _ in rows]
    )
    out = Text()
    for title, bindings in sections:
        out.append(f"{title}\n", style="bold underline")
        for key, text in help_lines(bindings):
            out.append(f"  {key:<{width}}", style="bold")
            out.append(text)
            out.append("\n")
        out.append("\n")
    for title, rows in EXTRA.items():
        out.append(f"{title}\n", style="bold underline")
        for key, text in rows:
            out.append(f"  {key:<{width}}", style="bold")
            out.append(f"{text}\n")
        out.append("\n")
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close", tooltip="Close help")
    ]

    def __init__(self, sections: list[tuple[str, Iterable[BindingType]]]) -> None:
        super().__init__(id="help", classes="dialog")
        self._sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Static(Text("Keys — Escape closes; ctrl+p finds any command", style="bold"))
            with VerticalScroll(id="help-body"):
                yield Static(bindings_text(self._sections), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
