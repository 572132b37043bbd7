"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("impact", sa.Text(), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=True),
        sa.Column("timeline_json", sa.Text(), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("source_hash", sa.String(length=64), nullable=True),
        sa.Column("source_key", sa.String(length=200), nullable=True),
        sa.Column("title_key", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_key"),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_source_hash"), ["source_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_title_key"), ["title_key"], unique=False)

    op.create_table(
        "lock",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.String(length=2), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("jira_key", sa.String(length=50), nullable=True),
        sa.Column("tracking_ref", sa.String(length=300), nullable=True),
        sa.Column("verify_by", sa.Date(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by", sa.String(length=200), nullable=True),
        sa.Column("source_key", sa.String(length=64), nullable=True),
        sa.Column("edited_fields", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index("ix_action_incident", ["incident_id", "source_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_jira_key"), ["jira_key"], unique=False)
        batch_op.create_index("ix_action_owner_status", ["owner", "status"], unique=False)
        batch_op.create_index("ix_action_status_due", ["status", "due_date"], unique=False)
        batch_op.create_index("ix_action_updated", ["updated_at"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=50), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_action", ["action_id", "id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("window", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("digest_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "recipient", "channel", "rule", "action_id", "window", name="uq_reminder_key"
        ),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_action_id"), ["action_id"], unique=False)
        batch_op.create_index("ix_reminder_status", ["status"], unique=False)

    op.create_table(
        "sync_link",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("jira_key", sa.String(length=50), nullable=True),
        sa.Column("jira_id", sa.String(length=50), nullable=True),
        sa.Column("pushed_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("pulled_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pulled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remote_updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id"),
    )
    with op.batch_alter_table("sync_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_link_jira_key"), ["jira_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("sync_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_link_jira_key"))

    op.drop_table("sync_link")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_status")
        batch_op.drop_index(batch_op.f("ix_reminder_action_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_action")

    op.drop_table("event")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_updated")
        batch_op.drop_index("ix_action_status_due")
        batch_op.drop_index("ix_action_owner_status")
        batch_op.drop_index(batch_op.f("ix_action_jira_key"))
        batch_op.drop_index("ix_action_incident")

    op.drop_table("action")
    op.drop_table("meta")
    op.drop_table("lock")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_title_key"))
        batch_op.drop_index(batch_op.f("ix_incident_source_hash"))

    op.drop_table("incident")
