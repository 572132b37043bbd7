"""`capa-tracker sync`: runs `sync_once`, prints a summary on stderr (JSON on stdout with --json)."""

from __future__ import annotations

import json
import sys

from sync.engine import SyncSummary
from sync.errors import SyncError, one_line, redact
from sync.service import sync_once
from tracker.context import AppContext


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_sync(
    ctx: AppContext,
    *,
    dry_run: bool = False,
    push_only: bool = False,
    pull_only: bool = False,
    as_json: bool = False,
) -> int:
    """Exit code: 0 all synced, 1 something failed (Jira, login, lock), 2 bad configuration."""
    from sync.client import secrets_of
    from tracker.db import DatabaseError

    secrets = secrets_of(ctx.settings)
    try:
        summary = sync_once(
            ctx,
            dry_run=dry_run,
            push_only=push_only,
            pull_only=pull_only,
            progress=lambda message: _err(redact(message, secrets)),
        )
    except SyncError as exc:
        _err(f"error: {redact(one_line(str(exc)), secrets)}")
        return exc.exit_code
    except DatabaseError as exc:
        _err(f"error: {one_line(str(exc))}")
        return 1
    if as_json:
        print(redact(json.dumps(summary.to_json(), indent=2), secrets))
    if dry_run and not as_json:
        for line in summary.plan or ["nothing to do"]:
            print(redact(line, secrets))
    for line in summary_lines(summary):
        _err(redact(line, secrets))
    return 0 if summary.ok else 1


def summary_lines(summary: SyncSummary) -> list[str]:
    head = "dry run, nothing changed: " if summary.dry_run else "sync: "
    if summary.dry_run:
        counts = f"{len(summary.plan)} planned step(s)"
    else:
        counts = (
            f"created {len(summary.created)}, updated {len(summary.updated)}, "
            f"pulled {len(summary.pulled)}, conflicts {len(summary.conflicts)}, "
            f"failed {len(summary.failures)}"
        )
    lines = [f"{head}{counts} ({summary.requests} Jira requests, {summary.seconds:.1f}s)"]
    lines += [f"  linked #{x['action_id']} to existing {x['key']}" for x in summary.linked]
    lines += [f"  created #{x['action_id']} {x['key']}" for x in summary.created]
    lines += [
        f"  updated {x['key']} (#{x['action_id']}): {', '.join(x['fields'])}"
        for x in summary.updated
    ]
    lines += [
        f"  pulled {x['key']} -> #{x['action_id']}: "
        + ", ".join(f"{k} {v}" for k, v in x["changes"].items())
        for x in summary.pulled
    ]
    lines += [
        f"  conflict #{c['action_id']} {c['key']} {c['field']}: tracker {c['local']!s}, "
        f"Jira {c['remote']!s}; {c['winner']} wins"
        for c in summary.conflicts
    ]
    lines += [f"  warning: {w}" for w in summary.warnings]
    for f in summary.failures:
        who = f"#{f['action_id']}" if f["action_id"] is not None else "sync"
        lines.append(f"  FAILED {who}: {f['error']}")
    if summary.failures:
        lines.append(
            "  the failed items are retried on the next sync; "
            "`capa-tracker show <id>` shows the last error"
        )
    return lines
