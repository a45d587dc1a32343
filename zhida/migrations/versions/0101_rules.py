"""rules: policy_runs and policy_results

Revision ID: 0101_rules
Revises: 0001_registry
"""

import sqlalchemy as sa
from alembic import op

revision = "0101_rules"
down_revision = "0001_registry"
branch_labels = ("rules",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("policy_id", sa.String(60), nullable=False),
        sa.Column("policy_name", sa.String(200), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("policy_hash", sa.String(64), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("input_snapshot", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("evaluated", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("undetermined", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_runs")),
    )
    op.create_index(op.f("ix_policy_runs_policy_id"), "policy_runs", ["policy_id"])
    op.create_table(
        "policy_results",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("size_class", sa.String(4), nullable=True),
        sa.Column("township", sa.String(50), nullable=True),
        sa.Column("industry_section", sa.String(1), nullable=True),
        sa.Column("insured", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["policy_runs.id"], ondelete="CASCADE",
                                name=op.f("fk_policy_results_run_id_policy_runs")),
        sa.PrimaryKeyConstraint("run_id", "uscc", name=op.f("pk_policy_results")),
    )


def downgrade() -> None:
    op.drop_table("policy_results")
    op.drop_index(op.f("ix_policy_runs_policy_id"), table_name="policy_runs")
    op.drop_table("policy_runs")
