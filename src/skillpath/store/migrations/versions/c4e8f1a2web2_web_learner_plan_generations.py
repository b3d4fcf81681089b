"""web_learner.plan_gen / plan_gen_done: re-plan generations (requested, and stored)

Revision ID: c4e8f1a2web2
Revises: a1b2c3d4web1
Create Date: 2026-12-02 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e8f1a2web2"
down_revision: str | Sequence[str] | None = "a1b2c3d4web1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows start at generation 0 on both: a plan marked "running" before the upgrade is
    # queued again at start (resume_replans), which requests generation 1.
    with op.batch_alter_table("web_learner") as batch:
        batch.add_column(sa.Column("plan_gen", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("plan_gen_done", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("web_learner") as batch:
        batch.drop_column("plan_gen_done")
        batch.drop_column("plan_gen")
