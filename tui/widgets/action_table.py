"""The action table: a window of rows fed a page at a time from SQL, updated by diff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from tui.rows import ColumnSpec


class KeyedText(Text):
    """A first-column cell that knows its row key, so a diffed window can be re-sorted."""

    def __init__(self, text: str, row_key: str, style: str = "") -> None:
        super().__init__(text, style=style, end="", no_wrap=True, overflow="ellipsis")
        self.row_key = row_key


class ActionTable(DataTable[Text]):
    """Rows keyed by action id (group headers by `group:...`); the screen decides what is shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home,ctrl+home", "jump('home')", "First", show=False, id="table.first"),
        Binding("end,ctrl+end", "jump('end')", "Last", show=False, id="table.last"),
    ]

    class JumpRequested(Message):
        """The user asked for the first or last row of the whole result, not of the window."""

        def __init__(self, where: str) -> None:
            self.where = where
            super().__init__()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._specs: list[ColumnSpec] = []

    @property
    def specs(self) -> list[ColumnSpec]:
        return self._specs

    def action_jump(self, where: str) -> None:
        self.post_message(self.JumpRequested(where))

    def set_columns(self, specs: Sequence[ColumnSpec], labels: dict[str, str]) -> bool:
        """Lay out the columns; returns True when they changed (rows must be shown again)."""
        if [(s.key, s.width) for s in specs] == [(s.key, s.width) for s in self._specs]:
            for s in specs:
                self.columns[ColumnKey(s.key)].label = Text(
                    labels.get(s.key, s.label), no_wrap=True
                )
            self.refresh()
            return False
        self.clear(columns=True)
        self._cells.clear()
        self._specs = list(specs)
        for s in specs:
            self.add_column(
                Text(labels.get(s.key, s.label), no_wrap=True), width=s.width, key=s.key
            )
        return True

    @property
    def cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except Exception:  # the cursor can briefly point past a shrunk table
            return None

    def show_rows(
        self,
        rows: Sequence[tuple[str, tuple[Text, ...]]],
        *,
        cursor_key: str | None,
        keep_screen_position: bool = False,
    ) -> None:
        """Make the table show `rows` in this order, touching only what changed (dolphie style)."""
        old_row = self.cursor_row
        old_scroll = self.scroll_y
        new_keys = [k for k, _ in rows]
        kept = set(new_keys) & set(self._cells)
        if len(kept) < len(new_keys) // 2:
            # Mostly new rows (a new window or filter): rebuilding is cheaper than diffing.
            self.clear()
            self._cells.clear()
            for key, cells in rows:
                self._add(key, cells)
        else:
            for key in set(self._cells) - set(new_keys):
                self.remove_row(key)
                del self._cells[key]
            for key, cells in rows:
                old = self._cells.get(key)
                if old is None:
                    self._add(key, cells)
                elif old != cells:
                    for spec, before, after in zip(self._specs, old, cells, strict=True):
                        if before != after:
                            self.update_cell(key, spec.key, self._first(key, after, spec))
                    self._cells[key] = cells
            current = [str(r.key.value) for r in self.ordered_rows]
            if current != new_keys:
                position = {k: i for i, k in enumerate(new_keys)}
                first = self._specs[0].key
                self.sort(first, key=lambda cell: position.get(getattr(cell, "row_key", ""), 0))
        if not rows:
            return
        index = self.get_row_index(cursor_key) if cursor_key in self._cells else None
        if index is None:
            index = min(max(old_row, 0), len(rows) - 1)
        if keep_screen_position:
            target = max(0.0, old_scroll + (index - old_row))
            self.move_cursor(row=index, animate=False, scroll=False)
            self.call_after_refresh(self.scroll_to, y=target, animate=False)
        else:
            self.move_cursor(row=index, animate=False, scroll=True)

    def _first(self, key: str, cell: Text, spec: ColumnSpec) -> Text:
        if spec is self._specs[0]:
            return KeyedText(cell.plain, key, style=str(cell.style))
        return cell

    def _add(self, key: str, cells: tuple[Text, ...]) -> None:
        first = KeyedText(cells[0].plain, key, style=str(cells[0].style))
        self.add_row(first, *cells[1:], key=key)
        self._cells[key] = cells
