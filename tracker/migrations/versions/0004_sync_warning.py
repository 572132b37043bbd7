"""A sync warning on each Jira link: what the sync could not do the way the tracker says
(for now: the owner has no Jira user, so the issue is unassigned). `show` and the dashboard
detail display it; the sync clears it once the cause is gone.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sync_warning", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_link", schema=None) as batch_op:
        batch_op.drop_column("sync_warning")
