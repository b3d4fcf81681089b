"""catalog provider skills: the provider's own skill labels per course (Coursera "Skills").

Existing courses get an empty list (server default), so databases with courses upgrade.

Revision ID: 0bb22820188a
Revises: 7c1e1c8927f9
Create Date: 2026-12-01 21:12:45.913552
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0bb22820188a"
down_revision: str | Sequence[str] | None = "7c1e1c8927f9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cat_course", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("provider_skills", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("cat_course", schema=None) as batch_op:
        batch_op.drop_column("provider_skills")
