"""stats: 累计方式 of a target (累计 = flow, year to date; 时点 = stock, latest value)

Revision ID: 0302_stats
Revises: 0301_stats
"""

import sqlalchemy as sa
from alembic import op

revision = "0302_stats"
down_revision = "0301_stats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_targets") as batch_op:
        batch_op.add_column(sa.Column("mode", sa.String(4), server_default="累计", nullable=False))
    # the default of an import that leaves the mode empty: a target in % is a level
    op.execute("UPDATE indicator_targets SET mode = '时点' WHERE unit = '%'")


def downgrade() -> None:
    with op.batch_alter_table("indicator_targets") as batch_op:
        batch_op.drop_column("mode")
