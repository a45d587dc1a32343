"""delivery: cycles, entitlements, objections, calls, payments, bank batches

Revision ID: 0201_delivery
Revises: 0001_registry
"""
from alembic import op
import sqlalchemy as sa


revision = '0201_delivery'
down_revision = '0001_registry'
branch_labels = ('delivery',)
depends_on = ('0010_platform',)


def upgrade() -> None:
    op.create_table('delivery_cycles',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.String(length=80), nullable=False),
    sa.Column('policy_name', sa.String(length=200), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('publicity_days', sa.Integer(), nullable=False),
    sa.Column('confirm_days', sa.Integer(), nullable=False),
    sa.Column('call_after_days', sa.Integer(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('publicity_end', sa.Date(), nullable=True),
    sa.Column('confirm_start', sa.Date(), nullable=True),
    sa.Column('confirm_deadline', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_cycles'))
    )
    with op.batch_alter_table('delivery_cycles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_cycles_run_id'), ['run_id'], unique=False)

    op.create_table('delivery_batches',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=True),
    sa.Column('file_csv', sa.String(length=400), nullable=True),
    sa.Column('file_xlsx', sa.String(length=400), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['delivery_cycles.id'], name=op.f('fk_delivery_batches_cycle_id_delivery_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_batches')),
    sa.UniqueConstraint('cycle_id', 'seq', name=op.f('uq_delivery_batches_cycle_id'))
    )
    op.create_table('delivery_calls',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=6), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=80), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['delivery_cycles.id'], name=op.f('fk_delivery_calls_cycle_id_delivery_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_calls')),
    sa.UniqueConstraint('cycle_id', 'uscc', 'round', name=op.f('uq_delivery_calls_cycle_id'))
    )
    with op.batch_alter_table('delivery_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_calls_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('delivery_cycle_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=10), nullable=True),
    sa.Column('to_state', sa.String(length=10), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['delivery_cycles.id'], name=op.f('fk_delivery_cycle_events_cycle_id_delivery_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_cycle_events'))
    )
    with op.batch_alter_table('delivery_cycle_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_cycle_events_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('delivery_entitlements',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('size_class', sa.String(length=4), nullable=True),
    sa.Column('township', sa.String(length=50), nullable=True),
    sa.Column('industry_section', sa.String(length=1), nullable=True),
    sa.Column('insured', sa.Integer(), nullable=False),
    sa.Column('contact', sa.String(length=50), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('bank_name', sa.String(length=100), nullable=True),
    sa.Column('account_no', sa.String(length=30), nullable=True),
    sa.Column('account_name', sa.String(length=200), nullable=True),
    sa.Column('confirmation', sa.String(length=8), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('hold_reason', sa.String(length=200), nullable=True),
    sa.Column('objection_open', sa.Boolean(), nullable=False),
    sa.Column('excluded', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['delivery_cycles.id'], name=op.f('fk_delivery_entitlements_cycle_id_delivery_cycles')),
    sa.PrimaryKeyConstraint('cycle_id', 'uscc', name=op.f('pk_delivery_entitlements'))
    )
    op.create_table('delivery_objections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('raised_by', sa.String(length=80), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=6), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('resolved_by', sa.String(length=80), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['delivery_cycles.id'], name=op.f('fk_delivery_objections_cycle_id_delivery_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_objections'))
    )
    with op.batch_alter_table('delivery_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_objections_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('delivery_payments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('idem_key', sa.String(length=140), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('account_name', sa.String(length=200), nullable=True),
    sa.Column('account_no', sa.String(length=30), nullable=True),
    sa.Column('bank_name', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('fail_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['delivery_cycles.id'], name=op.f('fk_delivery_payments_cycle_id_delivery_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_payments')),
    sa.UniqueConstraint('idem_key', name=op.f('uq_delivery_payments_idem_key'))
    )
    with op.batch_alter_table('delivery_payments', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_payments_cycle_status', ['cycle_id', 'status'], unique=False)

    op.create_table('delivery_transfers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('account_name', sa.String(length=200), nullable=True),
    sa.Column('account_no', sa.String(length=30), nullable=True),
    sa.Column('bank_name', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('fail_reason', sa.String(length=200), nullable=True),
    sa.Column('returned_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['delivery_batches.id'], name=op.f('fk_delivery_transfers_batch_id_delivery_batches')),
    sa.ForeignKeyConstraint(['payment_id'], ['delivery_payments.id'], name=op.f('fk_delivery_transfers_payment_id_delivery_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_transfers')),
    sa.UniqueConstraint('payment_id', 'attempt', name=op.f('uq_delivery_transfers_payment_id')),
    sa.UniqueConstraint('ref', name=op.f('uq_delivery_transfers_ref'))
    )
    with op.batch_alter_table('delivery_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_transfers_batch_id'), ['batch_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('delivery_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_transfers_batch_id'))

    op.drop_table('delivery_transfers')
    with op.batch_alter_table('delivery_payments', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_payments_cycle_status')

    op.drop_table('delivery_payments')
    with op.batch_alter_table('delivery_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_objections_cycle_id'))

    op.drop_table('delivery_objections')
    op.drop_table('delivery_entitlements')
    with op.batch_alter_table('delivery_cycle_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_cycle_events_cycle_id'))

    op.drop_table('delivery_cycle_events')
    with op.batch_alter_table('delivery_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_calls_cycle_id'))

    op.drop_table('delivery_calls')
    op.drop_table('delivery_batches')
    with op.batch_alter_table('delivery_cycles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_cycles_run_id'))

    op.drop_table('delivery_cycles')
