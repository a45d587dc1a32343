"""delivery: index for listing a cycle's entitlements by township

Revision ID: 0203_delivery
Revises: 0202_delivery
"""
from alembic import op

revision = "0203_delivery"
down_revision = "0202_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_delivery_entitlements_cycle_township", "delivery_entitlements",
                    ["cycle_id", "township", "uscc"])


def downgrade() -> None:
    op.drop_index("ix_delivery_entitlements_cycle_township", table_name="delivery_entitlements")
