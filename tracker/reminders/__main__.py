"""`python -m tracker.reminders [--config PATH] [--db URL] remind|scheduler ...`.

A stand-alone entry to the same functions `capa-tracker remind` and `capa-tracker scheduler`
call, for tests and for hosts where only the core is installed.
"""

from __future__ import annotations

import argparse
import sys

from tracker.config import ConfigError, load_settings
from tracker.context import AppContext
from tracker.db import DatabaseError
from tracker.reminders.commands import ReminderError, parse_now, run_remind, run_scheduler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker.reminders")
    parser.add_argument("--config", help="config file (TOML)")
    parser.add_argument("--db", help="database URL (overrides database.url)")
    parser.add_argument("--debug", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    remind = sub.add_parser("remind", help="plan and send one pass of reminders")
    remind.add_argument("--dry-run", action="store_true", help="show who would get what")
    remind.add_argument("--now", help="pretend it is this ISO date/time (configured timezone)")
    remind.add_argument("--json", action="store_true", help="print the result as JSON")
    scheduler = sub.add_parser("scheduler", help="run reminders and sync on their schedules")
    scheduler.add_argument("--once", action="store_true", help="run each job once and exit")
    args = parser.parse_args(argv)

    try:
        settings = load_settings(args.config)
        ctx = AppContext.build(settings, db_url=args.db, debug=args.debug)
        if args.command == "remind":
            now = parse_now(args.now, settings.policy.tz) if args.now else None
            return run_remind(ctx, dry_run=args.dry_run, now=now, as_json=args.json)
        return run_scheduler(ctx, once=args.once)
    except (ConfigError, ReminderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
