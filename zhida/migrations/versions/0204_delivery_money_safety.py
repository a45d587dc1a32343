"""delivery: one live cycle per policy and period (补发), versioned cycles, export claim, return files
applied once, unit bank-account changes and the approved payment accounts

Revision ID: 0204_delivery
Revises: 0203_delivery
"""
from alembic import op
import sqlalchemy as sa

revision = "0204_delivery"
down_revision = "0203_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_cycles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supplementary", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("export_claim", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("export_claimed_at", sa.DateTime(), nullable=True))
    op.create_table(
        "delivery_return_files",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("imported_by", sa.String(length=80), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["delivery_cycles.id"],
                                name=op.f("fk_delivery_return_files_cycle_id_delivery_cycles")),
        sa.PrimaryKeyConstraint("cycle_id", "sha256", name=op.f("pk_delivery_return_files")),
    )
    op.create_table(
        "delivery_account_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("account_name", sa.String(length=200), nullable=True),
        sa.Column("account_no", sa.String(length=30), nullable=True),
        sa.Column("bank_name", sa.String(length=100), nullable=True),
        sa.Column("name_exception", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("requested_role", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_note", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_account_changes")),
    )
    op.create_index("ix_delivery_account_changes_status", "delivery_account_changes", ["status", "uscc"])
    op.create_table(
        "delivery_payment_accounts",
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("account_name", sa.String(length=200), nullable=True),
        sa.Column("bank_name", sa.String(length=100), nullable=True),
        sa.Column("account_no", sa.String(length=30), nullable=True),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.String(length=80), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("uscc", name=op.f("pk_delivery_payment_accounts")),
    )


def downgrade() -> None:
    op.drop_table("delivery_payment_accounts")
    op.drop_index("ix_delivery_account_changes_status", table_name="delivery_account_changes")
    op.drop_table("delivery_account_changes")
    op.drop_table("delivery_return_files")
    with op.batch_alter_table("delivery_cycles", schema=None) as batch_op:
        batch_op.drop_column("export_claimed_at")
        batch_op.drop_column("export_claim")
        batch_op.drop_column("version")
        batch_op.drop_column("supplementary")
