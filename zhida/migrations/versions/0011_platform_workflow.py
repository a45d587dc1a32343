"""platform: workflow events of every declared process

Revision ID: 0011_platform_workflow
Revises: 0010_platform
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_platform_workflow'
down_revision = '0010_platform'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workflow_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('process', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.String(length=80), nullable=False),
    sa.Column('from_state', sa.String(length=30), nullable=False),
    sa.Column('to_state', sa.String(length=30), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_events'))
    )
    op.create_index('ix_workflow_events_entity', 'workflow_events', ['process', 'entity_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_workflow_events_entity', table_name='workflow_events')
    op.drop_table('workflow_events')
