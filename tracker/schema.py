"""Light Core descriptions of the tables that the read queries use.

The hot read paths (`list --json`, `stats`, the dashboard's pages) only need column names and
types; building them from the SQLModel classes would import SQLModel and pydantic's model
machinery on every run. tests/test_storage.py checks that these match the models exactly.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import column, table


class UTCText(TypeDecorator[datetime]):
    """Reads a stored UTC timestamp back as an aware datetime (the models' UTCDateTime)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


ACTION = table(
    "action",
    column("id", Integer),
    column("incident_id", Integer),
    column("title", Text),
    column("description", Text),
    column("kind", String),
    column("priority", String),
    column("owner", String),
    column("team", String),
    column("due_date", Date),
    column("status", String),
    column("status_reason", Text),
    column("created_at", UTCText),
    column("updated_at", UTCText),
    column("closed_at", UTCText),
    column("jira_key", String),
    column("tracking_ref", String),
    column("verify_by", Date),
    column("verified_at", UTCText),
    column("verified_by", String),
    column("source_key", String),
    column("edited_fields", Text),
    column("retired", Boolean),
    column("version", Integer),
)

INCIDENT = table(
    "incident",
    column("id", Integer),
    column("title", Text),
    column("started_at", UTCText),
    column("ended_at", UTCText),
    column("duration_minutes", Integer),
    column("impact", Text),
    column("root_cause", Text),
    column("timeline_json", Text),
    column("source_path", Text),
    column("source_hash", String),
    column("source_key", String),
    column("title_key", String),
    column("created_at", UTCText),
    column("updated_at", UTCText),
    column("edited_fields", Text),
    column("deleted_at", UTCText),
    column("merged_into", Integer),
)

EVENT = table("event", column("id", Integer), column("action_id", Integer), column("at", UTCText))

EXTENSION = table(
    "action_extension",
    column("id", Integer),
    column("action_id", Integer),
    column("at", UTCText),
    column("actor", String),
    column("source", String),
    column("old_due", Date),
    column("new_due", Date),
    column("days_added", Integer),
    column("reason", Text),
)

INCIDENT_CLASS = table(
    "incident_class",
    column("incident_id", Integer),
    column("name", String),
    column("source", String),
)
