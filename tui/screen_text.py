"""The current screen as plain text lines (for tests and debugging; no terminal needed)."""

from __future__ import annotations

from typing import Any


def screen_lines(app: Any) -> list[str]:
    """What the terminal would show, one string per row (modal screens composited on top)."""
    strips = app.screen._compositor.render_strips()
    return [strip.text for strip in strips]


def screen_text(app: Any) -> str:
    return "\n".join(screen_lines(app))
