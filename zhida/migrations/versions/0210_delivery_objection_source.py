"""delivery: the source of an objection (单位 / 群众来信来电 / 核查)

Revision ID: 0210_delivery_objection_source
Revises: 0204_delivery

Objections recorded before this revision were either the unit's own (raised by its portal
account) or registered by staff; staff ones are marked 群众来信来电, the usual way they came.
"""
import sqlalchemy as sa
from alembic import op

revision = "0210_delivery_objection_source"
down_revision = "0204_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_objections") as batch:
        batch.add_column(sa.Column("source", sa.String(length=10), server_default="单位", nullable=False))
    op.execute("UPDATE delivery_objections SET source = '群众来信来电' WHERE raised_by <> uscc")


def downgrade() -> None:
    with op.batch_alter_table("delivery_objections") as batch:
        batch.drop_column("source")
