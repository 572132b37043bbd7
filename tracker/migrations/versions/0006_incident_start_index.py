"""An index on the incidents' start times.

Recurrence matching compares an incident with the latest earlier incidents sharing a failure
class; walking this index from the incident's start finds them without reading every
incident of the class (a bulk import of a whole archive otherwise went quadratic).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_incident_started", "incident", ["started_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_incident_started", table_name="incident")
