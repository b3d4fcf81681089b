"""pf_credential.verification: the outcome of verifying a credential, stored with it

Revision ID: b7a3c9e2d150
Revises: 51d8e788cf90
Create Date: 2026-12-01 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7a3c9e2d150"
down_revision: str | Sequence[str] | None = "51d8e788cf90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows stay NULL ("never recorded"): they are re-verified before they count.
    with op.batch_alter_table("pf_credential") as batch:
        batch.add_column(sa.Column("verification", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pf_credential") as batch:
        batch.drop_column("verification")
