"""The command palette: the app's commands, the current screen's, and the change kinds for
the action the screen has selected (each posts `ChangeRequested`, like its key)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.changes import CHANGES
from tui.messages import ChangeRequested, PaletteCommand
from tui.safe_text import clean
from tui.screens.live import LiveScreen


@runtime_checkable
class HasCommands(Protocol):
    def palette_commands(self) -> list[PaletteCommand]: ...


def change_commands(screen: LiveScreen) -> list[PaletteCommand]:
    ref = screen.selected_ref()
    if ref is None:
        return []
    return [
        (
            f"{kind.label} of #{ref.id}",
            clean(ref.title),
            partial(screen.post_message, ChangeRequested(name, ref)),
        )
        for name, kind in CHANGES.items()
    ]


def palette_commands(app: object, screen: object) -> list[PaletteCommand]:
    """Everything the palette offers on `screen`."""
    cmds: list[PaletteCommand] = []
    if isinstance(app, HasCommands):
        cmds += app.palette_commands()
    if isinstance(screen, LiveScreen):
        cmds += change_commands(screen)
        cmds += screen.palette_commands()
    return cmds


class DashboardCommands(Provider):
    """Offers what makes sense here: app-wide commands plus the current screen's."""

    def _commands(self) -> list[PaletteCommand]:
        return palette_commands(self.app, self.screen)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, _call(callback), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), _call(callback), help=help_text)


def _call(callback: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        callback()

    return run
