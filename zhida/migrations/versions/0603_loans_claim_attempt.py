"""loans: 贴息拨付 retries — how many times a claim's transfer was sent again after failing

Revision ID: 0603_loans_claim_attempt
Revises: 0602_loans_extension
"""
from alembic import op
import sqlalchemy as sa


revision = '0603_loans_claim_attempt'
down_revision = '0602_loans_extension'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('loan_subsidy_claims') as batch:
        batch.add_column(sa.Column('attempt', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('loan_subsidy_claims') as batch:
        batch.drop_column('attempt')
