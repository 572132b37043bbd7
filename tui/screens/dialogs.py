"""Modal dialogs: a text prompt, a choice list, and the import preview."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.safe_text import clean, literal

# Returns an error message for a bad value, or None when the value is fine.
Validator = Callable[[str], str | None]


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line of text; Enter accepts (after validation), Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without saving")
    ]

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        value: str = "",
        placeholder: str = "",
        validate: Validator | None = None,
        required: bool = False,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._prompt = prompt
        self._value = value
        self._placeholder = placeholder
        self._validate = validate
        self._required = required
        self._cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(literal(self._title, "bold"), classes="dialog-title")
            yield Label(literal(self._prompt, multiline=True), classes="dialog-prompt")
            box = Input(value=self._value, placeholder=self._placeholder, id="prompt-input")
            box.cursor_blink = self._cursor_blink
            yield box
            yield Label("", id="prompt-error", classes="dialog-error")
            yield Label(Text("Enter to save · Escape to cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        error = None
        if self._required and not value:
            error = "a value is required"
        elif self._validate is not None and value:
            error = self._validate(value)
        if error:
            self.query_one("#prompt-error", Label).update(literal(error))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few values with the arrow keys (or its first letter and Enter)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without saving")
    ]

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], *, current: str | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._choices = list(choices)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(literal(self._title, "bold"), classes="dialog-title")
            yield OptionList(
                *[Option(literal(label), id=value) for value, label in self._choices],
                id="choices",
            )
            yield Label(Text("Enter to choose · Escape to cancel", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        ids = [v for v, _ in self._choices]
        if self._current in ids:
            options.highlighted = ids.index(self._current)
        elif ids:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportPreviewDialog(ModalScreen[list[str] | None]):
    """The measures found in a post-mortem, and the possible ones with a box each: save
    (with the ticked candidates as actions) or not. Dismisses with the ticked keys, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Import nothing"),
        Binding("ctrl+s", "confirm", "Save", id="dialog.save", tooltip="Import these actions"),
    ]

    def __init__(self, preview: dict[str, Any]) -> None:
        super().__init__(classes="dialog")
        self._preview = preview

    def compose(self) -> ComposeResult:
        p = self._preview
        candidates = p.get("candidates", [])
        with Vertical(classes="dialog-box wide"):
            yield Label(literal(f"Import {p['path']}", "bold"), classes="dialog-title")
            yield Static(
                literal(
                    f"Incident: {clean(p['title'])}\n"
                    f"{len(p['measures'])} measure(s) found"
                    + (f"; {len(candidates)} possible measure(s) to tick" if candidates else "")
                    + (f"; {len(p['warnings'])} warning(s)" if p["warnings"] else ""),
                    multiline=True,
                )
            )
            table: DataTable[Text] = DataTable(id="preview", cursor_type="row")
            yield table
            if candidates:
                with VerticalScroll(id="candidates", classes="warnings"):
                    yield Static(literal("Possible measures — tick those to import:", "bold"))
                    for c in candidates:
                        label = (
                            f"{clean(c['title'])}  ({c['confidence']:.2f}, {clean(c['reason'])})"
                        )
                        yield Checkbox(literal(label), value=False, name=c["key"])
            with VerticalScroll(classes="warnings"):
                for w in p["warnings"]:
                    yield Static(literal(f"warning: {w}", "yellow"))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Title", 40), ("Kind", 11), ("Pri", 3), ("Owner", 16), ("Due", 10)):
            table.add_column(label, width=width)
        for m in self._preview["measures"]:
            table.add_row(
                literal(m["title"]),
                literal(m["kind"]),
                literal(m["priority"] or "-"),
                literal(m["owner"] or "-"),
                literal(m["due_date"] or "-"),
            )
        self.query_one("#save", Button).focus()

    def ticked(self) -> list[str]:
        return [box.name or "" for box in self.query(Checkbox) if box.value]

    @on(Button.Pressed, "#save")
    def action_confirm(self) -> None:
        self.dismiss(self.ticked())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class IncidentEditDialog(ModalScreen[dict[str, str] | None]):
    """Correct an incident's title, window, impact and root cause. Dismisses with the fields
    that were changed (as typed), or None."""

    FIELDS = (
        ("title", "Title"),
        ("started_at", "Started (ISO 8601, e.g. 2026-01-11 14:00+00:00)"),
        ("ended_at", "Ended"),
        ("duration_minutes", "Duration (minutes or 1h30m)"),
        ("impact", "Impact"),
        ("root_cause", "Root cause"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "confirm", "Save", id="dialog.save", tooltip="Save the corrections"),
    ]

    def __init__(self, incident: dict[str, Any], *, cursor_blink: bool = True) -> None:
        super().__init__(classes="dialog")
        self._incident = incident
        self._cursor_blink = cursor_blink
        self._before = {
            name: "" if incident.get(name) is None else str(incident[name])
            for name, _ in self.FIELDS
        }

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(
                literal(f"Correct incident #{self._incident['id']}", "bold"),
                classes="dialog-title",
            )
            for name, label in self.FIELDS:
                yield Label(literal(label))
                box = Input(value=self._before[name], id=f"edit-{name}")
                box.cursor_blink = self._cursor_blink
                yield box
            yield Label(Text("ctrl+s to save · Escape to cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def changes(self) -> dict[str, str]:
        out = {}
        for name, _ in self.FIELDS:
            value = self.query_one(f"#edit-{name}", Input).value.strip()
            if value != self._before[name].strip():
                out[name] = value
        return out

    @on(Input.Submitted)
    def action_confirm(self) -> None:
        self.dismiss(self.changes())

    def action_cancel(self) -> None:
        self.dismiss(None)
