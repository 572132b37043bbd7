"""`sync_once`: one sync run with the lock held; what the CLI, the scheduler and the dashboard call.

The Jira client is injected (`client=`) by tests and built from the settings otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from sync.client import JiraPort, build_gateway
from sync.engine import SyncEngine, SyncOptions, SyncSummary
from sync.lock import SyncLock
from tracker.context import AppContext

__all__ = ["SyncSummary", "sync_once"]


def sync_once(
    ctx: AppContext,
    *,
    dry_run: bool = False,
    push_only: bool = False,
    pull_only: bool = False,
    progress: Callable[[str], None] | None = None,
    client: JiraPort | None = None,
    settle_seconds: float | None = None,
) -> SyncSummary:
    """Run one sync. Raises `sync.errors.SyncError` (config, login, lock, Jira unreachable);
    per-issue problems are listed in the summary's `failures` instead."""
    options = SyncOptions(
        dry_run=dry_run,
        push=not pull_only,
        pull=not push_only,
        settle_seconds=settle_seconds,
        progress=progress,
    )
    gateway: JiraPort = client if client is not None else build_gateway(ctx.settings)
    db = ctx.engine()
    if dry_run:  # a dry run writes nothing, not even the lock row
        return SyncEngine(db, gateway, ctx.settings, options, today=ctx.today).run()
    with SyncLock(db) as lock:
        return SyncEngine(
            db, gateway, ctx.settings, options, heartbeat=lock.renew, today=ctx.today
        ).run()
