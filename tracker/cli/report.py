"""`capa-tracker report`: the weekly summary as HTML, Markdown or JSON."""

from __future__ import annotations

import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tracker.cli.root import app, context, err, fail

if TYPE_CHECKING:
    from tracker.context import AppContext
    from tracker.scheduler import JobOutcome

FORMATS = ("html", "markdown", "json")


def parse_since(text: str, today: date) -> date:
    """7d, 30d, 2w or a date (YYYY-MM-DD); the start of the period, not after today."""
    raw = text.strip().lower()
    rel = re.fullmatch(r"(\d{1,4})\s*([dw])", raw)
    if rel:
        days = int(rel.group(1)) * (7 if rel.group(2) == "w" else 1)
        return today - timedelta(days=days)
    try:
        since = date.fromisoformat(raw)
    except ValueError:
        fail(f"cannot read --since {text!r}; use 7d, 30d, 2w or a date like 2026-11-01", 2)
    if since > today:
        fail(f"--since {since} is after today ({today})", 2)
    return since


def report_data(since_text: str, team: str | None, ctx: AppContext | None = None) -> dict[str, Any]:
    """The report's figures for the configured database (also used by the scheduler's e-mail)."""
    from tracker.queries.report import build_report

    ctx = ctx or context()
    today = ctx.today()
    since = parse_since(since_text, today)
    from tracker.db import read_engine
    from tracker.recurrence.store import class_counts, recurring_since

    with read_engine(ctx.engine()).connect() as conn:
        return build_report(
            conn,
            today,
            since,
            team=team,
            due_days=ctx.settings.policy.due_days,
            recurring=recurring_since(conn, since),
            failure_classes=class_counts(conn),
        )


def render(data: dict[str, Any], fmt: str) -> str:
    if fmt == "html":
        from tracker.output.report_html import render_html

        return render_html(data)
    if fmt == "markdown":
        from tracker.output.report_markdown import render_markdown

        return render_markdown(data)
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_private(path: Path, text: str) -> None:
    """Write a report readable by its owner only (0600), also when the file already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(text)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}", 1)


@app.command()
def report(
    since: Annotated[
        str, typer.Option(help="Start of the period: 7d, 30d, 2w or YYYY-MM-DD.")
    ] = "7d",
    team: Annotated[str | None, typer.Option(help="Only this team's actions.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html, markdown or json")] = "markdown",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (mode 0600).")
    ] = None,
) -> None:
    """What was opened, closed, verified and slipped in a period; open and overdue by owner and
    team; time to close against the SLO; per-incident progress; recurring incidents; charts."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; use html, markdown or json", 2)
    text = render(report_data(since, team), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    write_private(output, text)
    err(f"report written to {output}")


def email_report(ctx: AppContext) -> JobOutcome:
    """The scheduler's report job: the report as HTML (Markdown as the text part), one e-mail
    to each of [reports] recipients over [reminders.email]."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    from tracker.reminders.channels.base import DeliveryError
    from tracker.reminders.channels.email import send_message
    from tracker.scheduler import JobOutcome

    settings = ctx.settings
    cfg = settings.reports
    if not cfg.recipients:
        return JobOutcome(True, "skipped: no [reports] recipients")
    data = report_data(cfg.since, cfg.team or None, ctx)
    html, markdown = render(data, "html"), render(data, "markdown")
    email = settings.reminders.email
    password = settings.secret(email.password_env)
    domain = email.sender.rpartition("@")[2] or "capa-tracker.invalid"
    who = f" ({cfg.team})" if cfg.team else ""
    subject = f"Corrective actions{who}: {data['since']} to {data['as_of']}"
    failures = []
    for recipient in cfg.recipients:
        message = EmailMessage()
        message["From"] = email.sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=domain)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(markdown)
        message.add_alternative(html, subtype="html")
        try:
            send_message(email, password, message, recipient)
        except DeliveryError as exc:
            failures.append(str(exc))
    sent = len(cfg.recipients) - len(failures)
    text = f"report {data['since']}..{data['as_of']} sent to {sent} of {len(cfg.recipients)}"
    return JobOutcome(not failures, "; ".join([text, *failures]))
