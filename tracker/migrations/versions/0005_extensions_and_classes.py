"""Due-date extensions (slips) and incident failure classes.

`action_extension` keeps every move of a due date to a later day: when, by whom, from and to
which date and why, so that `show`, `stats` and the report can count slips and days added.
`incident_class` holds an incident's failure classes (docs/recurrence.md), found on import or
set by hand; recurrence matching compares incidents by them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("old_due", sa.Date(), nullable=False),
        sa.Column("new_due", sa.Date(), nullable=False),
        sa.Column("days_added", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_extension_action", "action_extension", ["action_id", "id"])
    op.create_index("ix_action_extension_at", "action_extension", ["at"])
    op.create_table(
        "incident_class",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "name"),
    )
    op.create_index("ix_incident_class_name", "incident_class", ["name"])


def downgrade() -> None:
    op.drop_index("ix_incident_class_name", table_name="incident_class")
    op.drop_table("incident_class")
    op.drop_index("ix_action_extension_at", table_name="action_extension")
    op.drop_index("ix_action_extension_action", table_name="action_extension")
    op.drop_table("action_extension")
