"""The command line's root: the Typer app, global options and the helpers every command uses.

The composition root. Heavy modules are imported inside commands so that
`--help` and `--version` stay fast; the Jira, reminder and dashboard packages load lazily.

Exit codes (README "Exit codes"): 0 ok; 2 anything the user typed or configured wrong (unknown
status, kind, priority, date or id, an illegal transition, a missing reason) — one `error:` line
naming what is allowed; 1 an operation that failed while running (database locked, Jira down,
SMTP refused, a record changed meanwhile). No traceback unless --debug.

Output: data on stdout, messages on stderr. Tables are for people: on a terminal they fit its
width; into a pipe or file every row stays on one line, uncut, so `grep` and `wc -l` work.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from tracker import __version__
from tracker.errors import EXIT_FAILED, EXIT_USAGE, OperationFailed, UserInputError

if TYPE_CHECKING:
    from tracker.context import AppContext

app = typer.Typer(
    name="capa-tracker",
    help="Track the corrective and preventive actions from post-mortems until they are done.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
incident_app = typer.Typer(help="Inspect and correct incidents.", no_args_is_help=True)
app.add_typer(incident_app, name="incident")
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")


class _State:
    config: str | None = None
    db: str | None = None
    debug: bool = False
    ctx: AppContext | None = None


STATE = _State()


def err(message: str) -> None:
    """A message for people: stderr, never parsed as markup."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    """End the command with one `error:` line: code 2 (the default kind for anything typed
    wrong) raises a UserInputError, code 1 an OperationFailed; `cli.main` prints it."""
    if code == EXIT_USAGE:
        raise UserInputError(message)
    raise OperationFailed(message)


def context() -> AppContext:
    """Settings and database for this run, built on first use (errors map to exit 2 / 1)."""
    if STATE.ctx is None:
        from tracker.config import load_settings
        from tracker.context import AppContext

        settings = load_settings(STATE.config)
        STATE.ctx = AppContext.build(settings, db_url=STATE.db, debug=STATE.debug)
    return STATE.ctx


@contextmanager
def writing() -> Iterator[Any]:
    """A write transaction; a domain refusal (a TrackerError) rolls it back and reaches main."""
    from tracker.db import session_scope

    with session_scope(context().engine()) as session:
        yield session


@contextmanager
def reading() -> Iterator[Any]:
    from tracker.db import read_engine

    with read_engine(context().engine()).connect() as conn:
        yield conn


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"capa-tracker {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main_options(
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            help="Config file (else $CAPA_TRACKER_CONFIG, ./capa-tracker.toml, the user config dir).",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="URL", help="Database URL, overriding database.url."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    STATE.config, STATE.db, STATE.debug, STATE.ctx = config, db, debug, None


def parse_due_option(text: str | None, what: str = "due date") -> date | None:
    """A date typed by a person, resolved against today in the policy zone; a past date is
    accepted with a `warning:` line (recording a date that already slipped is legitimate)."""
    if text is None:
        return None
    from tracker.policy import parse_due

    today = context().today()
    try:
        value = parse_due(text, today)
    except ValueError as exc:
        fail(str(exc), 2)
    if value < today:
        days = (today - value).days
        err(f"warning: {what} {value.isoformat()} is in the past ({days} day(s) ago)")
    return value


def typed_date(value: date | None, typed: str | None) -> str:
    """A date as stored, with the words the person typed when they were not the date itself:
    "2026-12-11 (next friday)"."""
    if value is None:
        return "-"
    text = value.isoformat()
    if typed is not None and typed.strip() and typed.strip() != text:
        text += f" ({typed.strip()})"
    return text


# Wide enough that no table row is ever wrapped or cut when the output is not a terminal.
PIPE_WIDTH = 100_000


def console() -> Any:
    """A Rich console on stdout that never reads text as markup; into a pipe or a file it is
    as wide as the widest row, so every table row stays on one line."""
    from rich.console import Console

    wide = not sys.stdout.isatty()
    return Console(
        highlight=False,
        markup=False,
        emoji=False,
        width=PIPE_WIDTH if wide else None,
        soft_wrap=wide,
    )


def is_pipe() -> bool:
    return not sys.stdout.isatty()


def print_json(data: Any) -> None:
    from tracker.output.formats import write_json

    write_json(data)


def status_list(status: list[str] | None, include_all: bool) -> tuple[str, ...]:
    """The statuses a list asks for: those typed (checked later by `check_filter`), else all
    or the open ones."""
    from tracker.queries.filters import split_values
    from tracker.vocabulary import OPEN_STATUSES

    wanted = split_values(status)
    if wanted:
        return wanted
    return () if include_all else OPEN_STATUSES
