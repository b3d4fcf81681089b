"""foundation repair: bring databases created by edited releases of 0001 to its final schema

Revision 0001 was edited after release (append-only was broken): b977ed5 added an ``origin``
column to the eight taxonomy relation tables, and d805383 dropped ``tx_source.counts`` (NOT NULL,
never filled). A database created before d805383 then failed every import with
``NOT NULL constraint failed: tx_source.counts``. This revision inspects the database and repairs
what the earlier 0001 created; on a database created by the final 0001 it does nothing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The relation tables that gained ``origin`` in b977ed5 (frozen here: migrations never import models).
_ORIGIN_TABLES = (
    "tx_anchor",
    "tx_collection",
    "tx_orphan",
    "tx_related",
    "tx_skill_broader",
    "tx_requirement",
    "tx_task",
    "tx_title",
)


def upgrade() -> None:
    insp = sa.inspect(op.get_bind())
    tables = set(insp.get_table_names())
    if "tx_source" in tables and "counts" in {c["name"] for c in insp.get_columns("tx_source")}:
        with op.batch_alter_table("tx_source") as batch_op:
            batch_op.drop_column("counts")
    for table in _ORIGIN_TABLES:
        if table not in tables or "origin" in {c["name"] for c in insp.get_columns(table)}:
            continue
        # Rows written before the column existed have no origin: '' keeps them (a re-import of
        # their file replaces by origin and so leaves them; the skeleton revision wrote none).
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("origin", sa.String(length=40), nullable=False, server_default="")
            )
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("origin", server_default=None)
            batch_op.create_index(batch_op.f(f"ix_{table}_origin"), ["origin"], unique=False)


def downgrade() -> None:
    # The repaired schema is the one 0001 creates today: nothing to undo.
    pass
