"""stats: indicator_values and indicator_targets

Revision ID: 0301_stats
Revises: 0001_registry
"""

import sqlalchemy as sa
from alembic import op

revision = "0301_stats"
down_revision = "0001_registry"
branch_labels = ("stats",)
depends_on = None

LEVEL = sa.Numeric(24, 4)


def upgrade() -> None:
    op.create_table(
        "indicator_values",
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("region", sa.String(50), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("dimension", sa.String(50), nullable=False),
        sa.Column("member", sa.String(100), nullable=False),
        sa.Column("value", LEVEL, nullable=True),
        sa.Column("unit", sa.String(20), nullable=True),
        sa.Column("yoy_published", sa.Numeric(12, 4), nullable=True),
        sa.PrimaryKeyConstraint("indicator", "region", "period", "dimension", "member",
                                name="pk_indicator_values"),
    )
    op.create_table(
        "indicator_targets",
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("region", sa.String(50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("target", LEVEL, nullable=False),
        sa.Column("unit", sa.String(20), nullable=True),
        sa.PrimaryKeyConstraint("indicator", "region", "year", name="pk_indicator_targets"),
    )


def downgrade() -> None:
    op.drop_table("indicator_targets")
    op.drop_table("indicator_values")
