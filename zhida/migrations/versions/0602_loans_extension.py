"""loans: 展期 — how many times a loan was extended and by how many months

Revision ID: 0602_loans_extension
Revises: 0601_loans
"""
from alembic import op
import sqlalchemy as sa


revision = '0602_loans_extension'
down_revision = '0601_loans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('loans') as batch:
        batch.add_column(sa.Column('extensions', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('extended_months', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('loans') as batch:
        batch.drop_column('extended_months')
        batch.drop_column('extensions')
