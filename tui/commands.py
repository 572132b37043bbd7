"""The command palette: every action of the app and of the current screen."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class DashboardCommands(Provider):
    """Offers what makes sense here: app-wide commands plus the current screen's."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        app: Any = self.app
        return list(app.palette_commands(self.screen))

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, partial(callback), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(callback), help=help_text)
