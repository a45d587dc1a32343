"""delivery: payment cancel reason, second call round (recall days, call date)

Revision ID: 0202_delivery
Revises: 0201_delivery
"""
from alembic import op
import sqlalchemy as sa


revision = '0202_delivery'
down_revision = '0201_delivery'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('delivery_payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=200), nullable=True))
    with op.batch_alter_table('delivery_cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recall_after_days', sa.Integer(), server_default='2', nullable=False))
    with op.batch_alter_table('delivery_calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('called_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('delivery_calls', schema=None) as batch_op:
        batch_op.drop_column('called_on')
    with op.batch_alter_table('delivery_cycles', schema=None) as batch_op:
        batch_op.drop_column('recall_after_days')
    with op.batch_alter_table('delivery_payments', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
