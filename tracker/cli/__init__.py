"""The command line: parses arguments and calls use cases. `main` is the console entry point.

Exit codes: 0 ok, 1 an operation failed, 2 bad usage or bad input. No traceback unless --debug.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

# Commands register on import; this order is the order `--help` lists them in.
# isort: off
from tracker.cli import importing, actions, reports, report, recurrence, integrations, admin  # noqa: F401

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
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err(f"error: {exc}")
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
