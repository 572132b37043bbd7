"""What `capa-tracker import` prints: one line per document, warnings, a table for a few."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import date
from typing import Any

from tracker.importing.run import FEW_DOCUMENTS, ImportRun

# Up to this many documents, the report has a line for each (and its resemblances).
EACH_DOCUMENT = 20


def print_import(
    run: ImportRun, *, as_json: bool, progress: Callable[[str], None], today: date
) -> None:
    """JSON on stdout, or one line per document on stderr (a table of actions for a few)."""
    if as_json:
        from tracker.output.writers import write_json

        write_json(run.as_json())
        return
    outcomes, dry_run = run.outcomes, run.dry_run
    verb = "would import" if dry_run else "imported"
    done = [o for o in outcomes if o.incident]
    for o in outcomes:
        if o.error:
            progress(f"error: {o.source.label}: {o.error}")
            continue
        inc = o.incident or {}
        counts = f"{len(inc['created'])} new, {len(inc['updated'])} updated, {len(inc['retired'])} retired"
        if inc["outcome"] == "unchanged":
            counts = "unchanged, already imported"
        elif inc["outcome"] in ("deleted", "merged"):
            counts = f"not imported ({inc['outcome']})"
        if len(outcomes) <= EACH_DOCUMENT:
            progress(f"{verb} {o.source.label}: incident #{inc['id']} {inc['title']!r}: {counts}")
            for r in inc.get("related", []):
                progress(f"  {resembles_line(r)}")
            for d in inc.get("duplicates", []):
                progress(f"  #{d['action_id']}: possible duplicate of #{d['duplicate_of']}")
        for w in o.warnings:
            progress(f"warning: {o.source.label}: {w}")
        if o.pending:
            progress(
                f"{o.pending} possible measure{'s' if o.pending != 1 else ''} not imported — "
                f"review with `capa-tracker import {_quoted(o.source.label)} --review`"
            )
        if inc.get("actions") and len(outcomes) <= FEW_DOCUMENTS and inc["outcome"] != "unchanged":
            from rich.console import Console

            from tracker.output.writers import action_table

            Console(stderr=True, highlight=False, markup=False, emoji=False).print(
                action_table(inc["actions"], today)
            )
    if len(outcomes) > EACH_DOCUMENT:
        _recurrence_summary([o.incident for o in done if o.incident], progress)
    total_new = sum(len((o.incident or {}).get("created", [])) for o in done)
    failed = sum(1 for o in outcomes if o.error)
    progress(
        f"{verb} {len(done)} document(s), {total_new} new action(s)"
        + (f"; {failed} failed" if failed else "")
    )


def _recurrence_summary(incidents: list[dict[str, Any]], progress: Callable[[str], None]) -> None:
    """A bulk import's resemblances in two lines, not one per document."""
    resembling = [i for i in incidents if i.get("related")]
    repeats = sum(len(i.get("duplicates", [])) for i in incidents)
    if resembling:
        progress(
            f"{len(resembling)} incident(s) resemble earlier ones "
            f"(`capa-tracker incident related ID`, e.g. #{resembling[0]['id']})"
        )
    if repeats:
        progress(f"{repeats} new action(s) may repeat open ones (`import --json` lists them)")


def resembles_line(r: dict[str, Any]) -> str:
    """'resembles #7 (2023-02-08 Checkout outage): 2 actions still open (#21, #22)'."""
    line = f"resembles #{r['incident_id']} ({r['title']})"
    still = r["open_actions"]
    if still:
        line += f": {len(still)} action(s) still open ({', '.join(f'#{i}' for i in still)})"
    else:
        line += ": no action of it is still open"
    if r["wont_do_actions"]:
        dropped = ", ".join(f"#{i}" for i in r["wont_do_actions"])
        line += f"; dropped as won't do: {dropped}"
    return line


def _quoted(path: str) -> str:
    return shlex.quote(path)
