"""SQLModel tables. Alembic (tracker/migrations) owns the schema; these classes describe it.

All timestamps are timezone-aware UTC (`UTCDateTime`): SQLite has no zone type, and a naive
datetime compared with an aware "now" is exactly how overdue logic goes wrong.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Column, DateTime, Index, Table, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for bulk statements and plain-row queries."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always returns aware datetimes; refuses naive input."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class Incident(SQLModel, table=True):
    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_started", "started_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    started_at: datetime | None = _ts()
    ended_at: datetime | None = _ts()
    duration_minutes: int | None = None
    impact: str | None = Field(default=None, sa_column=Column(Text))
    root_cause: str | None = Field(default=None, sa_column=Column(Text))
    timeline_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    source_path: str | None = Field(default=None, sa_column=Column(Text))
    source_hash: str | None = Field(default=None, max_length=64, index=True)
    source_key: str | None = Field(default=None, max_length=200, unique=True)
    # Lower-cased title, indexed: a renamed file is still found again by its title.
    title_key: str | None = Field(default=None, max_length=300, index=True)
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    # Fields a person corrected; a re-import never overwrites them (JSON list of names).
    edited_fields: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    # Set by `incident delete` / `incident merge`: the incident is kept for its history.
    deleted_at: datetime | None = _ts()
    merged_into: int | None = None


class Action(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (
        Index("ix_action_status_due", "status", "due_date"),
        Index("ix_action_owner_status", "owner", "status"),
        Index("ix_action_incident", "incident_id", "source_key"),
        Index("ix_action_updated", "updated_at"),
        # Due-date order for views without a status filter: a page stops after 200 rows.
        Index("ix_action_due", "due_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", ondelete="CASCADE")
    title: str = Field(sa_column=Column(Text, nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    kind: str = Field(default="corrective", max_length=20)
    priority: str = Field(default="P2", max_length=2)
    owner: str | None = Field(default=None, max_length=200)
    team: str | None = Field(default=None, max_length=200)
    due_date: date | None = None
    status: str = Field(default="open", max_length=20)
    status_reason: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    closed_at: datetime | None = _ts()
    jira_key: str | None = Field(default=None, max_length=50, index=True)
    tracking_ref: str | None = Field(default=None, max_length=300)
    verify_by: date | None = None
    verified_at: datetime | None = _ts()
    verified_by: str | None = Field(default=None, max_length=200)
    # Stable identity of the measure inside its document, so a re-import finds it again.
    source_key: str | None = Field(default=None, max_length=64)
    # Fields a person changed; a re-import never overwrites them (JSON list of names).
    edited_fields: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    # Set when the measure disappeared from its document on re-import.
    retired: bool = Field(default=False)
    # Optimistic concurrency: every write bumps it; a stale writer gets a clear error.
    version: int = Field(default=1)


class Event(SQLModel, table=True):
    """Append-only history: one row per field change, note or import."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_action", "action_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int | None = Field(default=None, foreign_key="action.id", ondelete="CASCADE")
    incident_id: int | None = Field(default=None, foreign_key="incident.id", ondelete="CASCADE")
    at: datetime = _ts(nullable=False)
    actor: str = Field(default="", max_length=200)
    source: str = Field(default="cli", max_length=20)
    kind: str = Field(default="change", max_length=20)  # created, change, note, conflict, retired
    field: str | None = Field(default=None, max_length=50)
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))
    note: str | None = Field(default=None, sa_column=Column(Text))


class ImportCandidate(SQLModel, table=True):
    """A possible measure the importer was not sure of (confidence below
    `import.min_confidence`), kept until a person accepts or rejects it. A rejected candidate
    stays rejected when its document is imported again (found by incident + measure key)."""

    __tablename__ = "import_candidate"
    __table_args__ = (UniqueConstraint("incident_id", "measure_key", name="uq_candidate_measure"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", ondelete="CASCADE")
    measure_key: str = Field(max_length=64)
    # The content hash of the document version it was found in.
    document_hash: str | None = Field(default=None, max_length=64)
    title: str = Field(sa_column=Column(Text, nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    kind: str = Field(default="corrective", max_length=20)
    priority: str | None = Field(default=None, max_length=2)
    owner: str | None = Field(default=None, max_length=200)
    due_date: date | None = None
    tracking_ref: str | None = Field(default=None, max_length=300)
    section: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    confidence: float = Field(default=0.0)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default="pending", max_length=10)  # pending, accepted, rejected
    action_id: int | None = Field(default=None, foreign_key="action.id", ondelete="SET NULL")
    decided_at: datetime | None = _ts()
    decided_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = _ts(nullable=False)


class Reminder(SQLModel, table=True):
    """One notice, recorded before sending: the unique key makes sending idempotent."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint(
            "recipient", "channel", "rule", "action_id", "window", name="uq_reminder_key"
        ),
        Index("ix_reminder_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", ondelete="CASCADE", index=True)
    recipient: str = Field(max_length=200)
    channel: str = Field(max_length=20)
    rule: str = Field(max_length=20)  # due_soon, due_today, overdue, escalation, verification
    window: str = Field(max_length=40)  # the period the notice covers, e.g. "2026-11-27"
    status: str = Field(default="pending", max_length=10)  # pending, sent, failed
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    digest_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts(nullable=False)
    sent_at: datetime | None = _ts()


class SyncLink(SQLModel, table=True):
    """The link between one action and its Jira issue."""

    __tablename__ = "sync_link"

    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    jira_key: str | None = Field(default=None, max_length=50, index=True, unique=True)
    jira_id: str | None = Field(default=None, max_length=50)
    pushed_fingerprint: str | None = Field(default=None, max_length=64)
    pulled_fingerprint: str | None = Field(default=None, max_length=64)
    # Field values as last agreed with Jira (JSON), to tell which side changed what.
    base_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    pushed_at: datetime | None = _ts()
    pulled_at: datetime | None = _ts()
    remote_updated: datetime | None = _ts()
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_error_at: datetime | None = _ts()
    # What the sync could not do as the tracker says (e.g. the owner has no Jira user).
    sync_warning: str | None = Field(default=None, sa_column=Column(Text))


class Meta(SQLModel, table=True):
    """Small key/value store: last successful pull, and similar run state."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Lock(SQLModel, table=True):
    """A named lease (sync, scheduler) that works the same on SQLite and PostgreSQL."""

    __tablename__ = "lock"

    name: str = Field(primary_key=True, max_length=100)
    holder: str = Field(max_length=200)
    acquired_at: datetime = _ts(nullable=False)
    expires_at: datetime = _ts(nullable=False)


class ActionExtension(SQLModel, table=True):
    """A due date moved later (a slip): when, by whom, by how many days and why."""

    __tablename__ = "action_extension"
    __table_args__ = (
        Index("ix_action_extension_action", "action_id", "id"),
        Index("ix_action_extension_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", ondelete="CASCADE")
    at: datetime = _ts(nullable=False)
    actor: str = Field(max_length=200)
    source: str = Field(max_length=20)
    old_due: date
    new_due: date
    days_added: int
    reason: str | None = Field(default=None, sa_column=Column(Text))


class IncidentClass(SQLModel, table=True):
    """One failure class of an incident (docs/recurrence.md); source: "auto" or "manual"."""

    __tablename__ = "incident_class"
    __table_args__ = (Index("ix_incident_class_name", "name"),)

    incident_id: int = Field(foreign_key="incident.id", primary_key=True, ondelete="CASCADE")
    name: str = Field(primary_key=True, max_length=40)
    source: str = Field(max_length=20)
