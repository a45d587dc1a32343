"""loans: number counters — application and loan numbers taken under a row lock

Revision ID: 0604_loans_number_counters
Revises: 0603_loans_claim_attempt
"""
from alembic import op
import sqlalchemy as sa


revision = '0604_loans_number_counters'
down_revision = '0603_loans_claim_attempt'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'loan_number_counters',
        sa.Column('series', sa.String(length=12), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('series', name=op.f('pk_loan_number_counters')),
    )


def downgrade() -> None:
    op.drop_table('loan_number_counters')
