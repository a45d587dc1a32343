"""registry: units and the data imported about them

Revision ID: 0001_registry
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_registry"
down_revision = None
branch_labels = ("registry",)
depends_on = ("0010_platform",)


def upgrade() -> None:
    op.create_table('credit_entries',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('list_type', sa.String(length=30), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('uscc', 'list_type', 'listed_on', name=op.f('pk_credit_entries'))
    )
    op.create_table('import_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_log'))
    )
    op.create_table('units',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit_type', sa.String(length=20), nullable=False),
    sa.Column('industry_code', sa.String(length=5), nullable=True),
    sa.Column('industry_section', sa.String(length=1), nullable=True),
    sa.Column('size_row', sa.String(length=20), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('revenue_wan', sa.Numeric(precision=20, scale=4), nullable=True),
    sa.Column('assets_wan', sa.Numeric(precision=20, scale=4), nullable=True),
    sa.Column('size_recorded', sa.String(length=4), nullable=True),
    sa.Column('size_class', sa.String(length=4), nullable=True),
    sa.Column('size_source', sa.String(length=10), nullable=True),
    sa.Column('township', sa.String(length=50), nullable=True),
    sa.Column('contact', sa.String(length=50), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('bank_name', sa.String(length=100), nullable=True),
    sa.Column('account_no', sa.String(length=30), nullable=True),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('uscc', name=op.f('pk_units'))
    )
    op.create_index(op.f('ix_units_township'), 'units', ['township'], unique=False)
    op.create_table('industrial_output',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('output_wan', sa.Numeric(precision=20, scale=4), nullable=False),
    sa.Column('prior_output_wan', sa.Numeric(precision=20, scale=4), nullable=True),
    sa.Column('above_scale', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['uscc'], ['units.uscc'], name=op.f('fk_industrial_output_uscc_units')),
    sa.PrimaryKeyConstraint('uscc', 'year', 'quarter', name=op.f('pk_industrial_output'))
    )
    op.create_table('ui_payments',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('employer_paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('employee_paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('backpay_fen', sa.BigInteger(), nullable=False),
    sa.Column('months_paid', sa.Integer(), nullable=False),
    sa.Column('insured_start', sa.Integer(), nullable=False),
    sa.Column('insured_end', sa.Integer(), nullable=False),
    sa.Column('insured_avg', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('new_claimants', sa.Integer(), nullable=False),
    sa.Column('arrears_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['uscc'], ['units.uscc'], name=op.f('fk_ui_payments_uscc_units')),
    sa.PrimaryKeyConstraint('uscc', 'year', name=op.f('pk_ui_payments'))
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_table('ui_payments')
    op.drop_table('industrial_output')
    op.drop_index(op.f('ix_units_township'), table_name='units')
    op.drop_table('units')
    op.drop_table('import_log')
    op.drop_table('credit_entries')
    # ### end Alembic commands ###
