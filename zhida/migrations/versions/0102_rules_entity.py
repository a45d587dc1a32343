"""rules: a run records what it judged (entity); result keys widened for any entity's key

Revision ID: 0102_rules_entity
Revises: 0101_rules
"""
from alembic import op
import sqlalchemy as sa


revision = '0102_rules_entity'
down_revision = '0101_rules'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('policy_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entity', sa.String(length=40), server_default='unit', nullable=False))
    with op.batch_alter_table('policy_results', schema=None) as batch_op:
        batch_op.alter_column('uscc', existing_type=sa.String(length=18), type_=sa.String(length=40),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('policy_results', schema=None) as batch_op:
        batch_op.alter_column('uscc', existing_type=sa.String(length=40), type_=sa.String(length=18),
                              existing_nullable=False)
    with op.batch_alter_table('policy_runs', schema=None) as batch_op:
        batch_op.drop_column('entity')
