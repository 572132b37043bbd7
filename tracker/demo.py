"""`capa-tracker demo`: a temporary tracker filled from the bundled example post-mortems."""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from tracker.context import AppContext
from tracker.errors import OperationFailed, UserInputError

OWNERS = ("alice@example.com", "bob@example.com", "carol@example.com", "dan@example.com", None)


def examples_dir() -> Path:
    """The example post-mortems: shipped in the package, or the checkout's examples/."""
    here = Path(__file__).resolve()
    installed = Path(sys.prefix) / "share" / "capa-tracker" / "examples"
    for candidate in (here.parents[1] / "examples", installed):
        if candidate.is_dir() and any(candidate.iterdir()):
            return candidate
    raise FileNotFoundError("the bundled example post-mortems are missing from this installation")


def fill_demo(ctx: AppContext, *, seed: int = 7) -> int:
    """Import the examples, then age and progress some actions so every view has something."""
    from sqlmodel import select

    from tracker.actions import transition, update_action
    from tracker.db import session_scope
    from tracker.importing.run import import_documents
    from tracker.models import Action

    import_documents(ctx, [str(examples_dir())], want_actions=False)
    rng = random.Random(seed)
    today = ctx.today()
    with session_scope(ctx.engine()) as session:
        ids = [a.id for a in session.exec(select(Action)).all() if a.id is not None]
        for action_id in ids:
            owner = rng.choice(OWNERS)
            due = today + timedelta(days=rng.randint(-20, 40))
            update_action(
                session,
                action_id,
                {"owner": owner, "due_date": due},
                actor="demo",
                source="cli",
                reason=rng.choice(SLIP_REASONS),  # kept only when the due date moves later
            )
            roll = rng.random()
            if roll < 0.25:
                transition(session, action_id, "in_progress", actor="demo")
            elif roll < 0.45:
                transition(
                    session,
                    action_id,
                    "done",
                    actor="demo",
                    verify_by=today + timedelta(days=rng.randint(-5, 20)),
                )
    return len(ids)


SLIP_REASONS = (
    "waiting for the vendor's fix",
    "the change freeze moved the rollout",
    "needs a maintenance window",
)


class DemoError(OperationFailed):
    """The demo cannot be built (the bundled examples are missing)."""


def prepare_demo(ctx: AppContext, *, db_path: Path | None) -> tuple[AppContext, int]:
    """A context on a new demo database, filled; returns it with the number of actions."""
    path = db_path or Path(tempfile.mkdtemp(prefix="capa-demo-")) / "demo.db"
    if path.exists():
        raise UserInputError(f"{path} already exists; choose a new --db-path")
    demo_ctx = AppContext.build(ctx.settings, db_url=f"sqlite:///{path}", debug=ctx.debug)
    try:
        return demo_ctx, fill_demo(demo_ctx)
    except BaseException as exc:
        if db_path is None:
            remove_demo(demo_ctx)
        if isinstance(exc, FileNotFoundError):
            raise DemoError(str(exc)) from exc
        raise


def remove_demo(demo_ctx: AppContext) -> None:
    """Delete a temporary demo database and its directory (also after a crash)."""
    demo_ctx.close()
    path = Path(demo_ctx.db_url.removeprefix("sqlite:///"))
    if path.parent.name.startswith("capa-demo-"):
        shutil.rmtree(path.parent, ignore_errors=True)
