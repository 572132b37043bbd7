"""Footer keys that fit the width: every key, or as many as fit and "? more" (the help).

Textual's Footer shows `Screen.active_bindings` with `show=True` in one row and cuts what
does not fit. `fit_footer` hides the last keys that would be cut, keeps the help key and
renames it "more", so a narrow terminal never loses a key without saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.binding import ActiveBinding, Binding

HELP_ID = "app.help"
PALETTE_WIDTH = 13  # "▏^p palette " at the right end
MORE = "more"


def key_width(key: str, description: str) -> int:
    """Cells a footer key takes: one space either side, one between key and description."""
    return len(key) + len(description) + 3


def fit_footer(
    bindings: dict[str, ActiveBinding],
    width: int,
    key_display: Callable[[Binding], str],
    *,
    palette: bool = True,
) -> dict[str, ActiveBinding]:
    """The same bindings, with the ones that would be cut marked hidden (they still work)."""
    # The footer shows one key per action ("escape,q" -> "esc Back"), like Textual's.
    shown: list[tuple[str, ActiveBinding]] = []
    actions: set[str] = set()
    for key, active in bindings.items():
        if active.binding.show and active.binding.action not in actions:
            actions.add(active.binding.action)
            shown.append((key, active))
    room = width - (PALETTE_WIDTH if palette else 0)

    def total(items: list[tuple[str, ActiveBinding]], more: bool) -> int:
        return sum(
            key_width(
                key_display(a.binding),
                MORE if more and a.binding.id == HELP_ID else a.binding.description,
            )
            for _, a in items
        )

    if total(shown, more=False) <= room:
        return bindings
    kept = list(shown)
    while kept and total(kept, more=True) > room:
        for i in range(len(kept) - 1, -1, -1):
            if kept[i][1].binding.id != HELP_ID:
                del kept[i]
                break
        else:
            break
    keep = {a.binding.action for _, a in kept}
    out: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.id == HELP_ID and binding.show:
            binding = replace(binding, description=MORE, tooltip="Every key of this screen")
        elif binding.show and binding.action not in keep:
            binding = replace(binding, show=False)
        out[key] = active._replace(binding=binding)
    return out
