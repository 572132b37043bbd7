"""The command line: parses arguments and calls use cases. `main` is the console entry point.

Exit codes (README "Exit codes"): 0 ok; 2 anything the user typed or configured wrong — an
unknown option, status, kind, priority, date or id, an illegal transition, a missing reason —
with one `error:` line naming what is allowed; 1 an operation that failed while running. No
traceback unless --debug.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

# Commands register on import; this order is the order `--help` lists them in.
# isort: off
from tracker.cli import importing, actions, reports, report, incidents  # noqa: F401
from tracker.cli import recurrence, integrations, admin  # noqa: F401

# isort: on
from tracker.cli.root import STATE, app, err
from tracker.errors import TrackerError

__all__ = ["app", "main", "run"]


def _strip_hash(argv: Sequence[str]) -> list[str]:
    """Let people type `show #12` as the docs print ids."""
    return [a[1:] if len(a) > 1 and a[0] == "#" and a[1:].isdigit() else a for a in argv]


def main(argv: Sequence[str] | None = None) -> int:
    args = _strip_hash(sys.argv[1:] if argv is None else argv)
    try:
        # With standalone_mode=False the parser returns a raised Exit's code instead of exiting.
        returned = app(args=args, prog_name="capa-tracker", standalone_mode=False)
        code = returned if isinstance(returned, int) else 0
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err("aborted")
        code = 130
    except typer.TyperException as exc:  # usage errors from the (vendored) click parser
        err(_usage_line(exc))
        code = int(getattr(exc, "exit_code", 2))
    except TrackerError as exc:
        if STATE.debug:
            import traceback

            traceback.print_exc()
        err(f"error: {exc}")
        code = exc.exit_code
    except KeyboardInterrupt:
        err("interrupted")
        code = 130
    except BrokenPipeError:
        code = 0
    except Exception as exc:  # the one place unexpected errors become a message
        code = _unexpected(exc)
    finally:
        if STATE.ctx is not None:
            STATE.ctx.close()
    return code


def _usage_line(exc: Exception) -> str:
    """A parser complaint as one line, with where to read more: the same shape as every error."""
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and message == ctx.get_help():
        return message  # a group called without a command: its help is the answer
    where = getattr(ctx, "command_path", None) or "capa-tracker"
    return f"error: {' '.join(message.split())} (see `{where} --help`)"


def _unexpected(exc: Exception) -> int:
    if STATE.debug:
        import traceback

        traceback.print_exc()
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        err(f"error: database problem: {exc.orig}; check --db / database.url, or run with --debug")
        return 1
    err(f"error: {type(exc).__name__}: {exc} (run with --debug for a traceback)")
    return 1


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
