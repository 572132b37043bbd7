"""`import`: post-mortem documents into incidents and actions; `--review` for the candidates."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tracker.cli.root import app, context, err, writing
from tracker.errors import UserInputError

if TYPE_CHECKING:
    from tracker.importing.run import ImportRun


class DateOrderChoice(StrEnum):
    MDY = "MDY"
    DMY = "DMY"


@app.command("import")
def import_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Post-mortem files, directories, or - for stdin.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and show what would change; write nothing.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the incidents with their actions and candidates as JSON."
        ),
    ] = False,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help="Then walk through the possible measures not imported: "
            "a accept, e edit, r reject, s skip, q quit.",
        ),
    ] = False,
    date_order: Annotated[
        DateOrderChoice | None,
        typer.Option(
            "--date-order",
            case_sensitive=False,
            help="How to read ambiguous dates like 02/08/2023 in this run (else policy.date_order).",
        ),
    ] = None,
) -> None:
    """Import post-mortems: each measure becomes a tracked action; uncertain ones wait for review."""
    from tracker.importing.run import import_documents
    from tracker.output.import_report import print_import

    if review and (as_json or dry_run):
        raise UserInputError("--review asks questions; use it without --json and --dry-run")
    if review and "-" in paths:
        raise UserInputError("--review reads your answers from the terminal; name a file, not -")
    ctx = context()
    run = import_documents(
        ctx,
        paths,
        dry_run=dry_run,
        want_actions=as_json or len(paths) <= 5,
        progress=err,
        date_order=date_order.value if date_order else None,
    )
    print_import(run, as_json=as_json, progress=err, today=ctx.today())
    if review:
        _review(run)
    raise typer.Exit(run.exit_code)


def _review(run: ImportRun) -> None:
    """One candidate at a time; each answer is saved at once, so `q` keeps what was decided."""
    from tracker.db import session_scope
    from tracker.importing.review import candidates_of

    ctx = context()
    ids = [o.incident["id"] for o in run.outcomes if o.incident]
    with session_scope(ctx.engine()) as session:
        pending = [
            (c.id or 0, c.incident_id, c.title, c.confidence, c.reason, c.section)
            for c in candidates_of(session, ids, status="pending")
        ]
    if not pending:
        err("nothing to review: no possible measures are waiting")
        return
    counts = {"accepted": 0, "rejected": 0}
    for n, (cid, incident_id, title, confidence, reason, section) in enumerate(pending, 1):
        err("")
        err(f"[{n}/{len(pending)}] incident #{incident_id}, confidence {confidence:.2f}")
        err(f"  {title}")
        if reason or section:
            err(f"  why: {reason or 'under ' + repr(section)}")
        answer = _ask("a accept · e edit · r reject · s skip · q quit? ", "aersq")
        if answer == "q":
            break
        if answer == "s":
            continue
        if answer == "r":
            _decide(cid, "reject")
            counts["rejected"] += 1
            err("  rejected: a re-import keeps it out")
            continue
        new_title = None
        if answer == "e":
            new_title = typer.prompt("  title", default=title, err=True)
        action_id = _decide(cid, "accept", title=new_title)
        counts["accepted"] += 1
        err(f"  accepted: action #{action_id}")
    with session_scope(ctx.engine()) as session:
        left = len(candidates_of(session, ids, status="pending"))
    err(
        f"reviewed: {counts['accepted']} accepted, {counts['rejected']} rejected, {left} still waiting"
    )


def _ask(prompt: str, keys: str) -> str:
    """One key, no Enter, in a terminal; a line's first letter when answers are piped in."""
    while True:
        sys.stderr.write(prompt)
        sys.stderr.flush()
        if sys.stdin.isatty():
            key = _read_key()
            sys.stderr.write(key + "\n")
        else:
            line = sys.stdin.readline()
            if not line:
                return "q"
            key = line.strip()[:1]
        key = key.lower()
        if key in keys:
            return key
        if key in ("\x03", "\x04"):
            raise KeyboardInterrupt


def _read_key() -> str:
    """One keypress. The terminal leaves line mode only while reading (TCSANOW: keys typed
    ahead of the prompt are kept, not flushed as click's getchar does), so that `e`'s title
    prompt and ctrl-C work as usual."""
    try:
        import termios
        import tty
    except ImportError:  # not a POSIX terminal
        return str(typer.getchar())
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        data = os.read(fd, 1)
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
    return data.decode("utf-8", "replace") if data else "q"


def _decide(candidate_id: int, what: str, *, title: str | None = None) -> Any:
    from tracker.importing.review import accept_candidate, reject_candidate
    from tracker.importing.run import import_policy

    ctx = context()
    with writing() as session:
        if what == "reject":
            reject_candidate(session, candidate_id, actor=ctx.actor, source="cli")
            return None
        return accept_candidate(
            session, candidate_id, import_policy(ctx), source="cli", title=title
        )
