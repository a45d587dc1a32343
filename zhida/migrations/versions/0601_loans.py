"""loans: applicants, applications, loans, periods, repayments, subsidy claims, guarantee fund

Revision ID: 0601_loans
Revises:
"""
from alembic import op
import sqlalchemy as sa


revision = '0601_loans'
down_revision = None
branch_labels = ('loans',)
depends_on = ['0010_platform', '0001_registry']


def upgrade() -> None:
    op.create_table('loan_applicants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('sex', sa.String(length=2), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('hukou', sa.String(length=100), nullable=True),
    sa.Column('township', sa.String(length=50), nullable=True),
    sa.Column('target_group', sa.String(length=40), nullable=True),
    sa.Column('evidence_ref', sa.String(length=100), nullable=True),
    sa.Column('graduated_on', sa.Date(), nullable=True),
    sa.Column('spouse_id_number', sa.String(length=18), nullable=True),
    sa.Column('staff_count', sa.Integer(), nullable=True),
    sa.Column('new_hires_12m', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan_applicants')),
    sa.UniqueConstraint('id_number', name=op.f('uq_loan_applicants_id_number')),
    sa.UniqueConstraint('uscc', name=op.f('uq_loan_applicants_uscc'))
    )
    op.create_table('loan_banks',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('account_no', sa.String(length=30), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_loan_banks'))
    )
    op.create_table('loan_contacts',
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('role', name=op.f('pk_loan_contacts'))
    )
    op.create_table('loan_credit_checks',
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('other_loans_fen', sa.BigInteger(), nullable=False),
    sa.Column('consumer_fen', sa.BigInteger(), nullable=False),
    sa.Column('bad_record', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id_number', 'checked_on', name=op.f('pk_loan_credit_checks'))
    )
    op.create_table('loan_intake',
    sa.Column('bank_ref', sa.String(length=40), nullable=False),
    sa.Column('bank_code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('hukou', sa.String(length=100), nullable=True),
    sa.Column('township', sa.String(length=50), nullable=True),
    sa.Column('target_group', sa.String(length=40), nullable=False),
    sa.Column('evidence_ref', sa.String(length=100), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('rate', sa.BigInteger(), nullable=False),
    sa.Column('project', sa.String(length=200), nullable=False),
    sa.Column('jobs_created', sa.Integer(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='待处理', nullable=False),
    sa.Column('application_number', sa.String(length=20), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('bank_ref', name=op.f('pk_loan_intake'))
    )
    op.create_table('loan_login_codes',
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('issued_in_window', sa.Integer(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id_number', name=op.f('pk_loan_login_codes'))
    )
    op.create_table('loan_lpr',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('one_year', sa.BigInteger(), nullable=False),
    sa.Column('five_year', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_loan_lpr'))
    )
    op.create_table('loan_repayments',
    sa.Column('bank_ref', sa.String(length=40), nullable=False),
    sa.Column('loan_number', sa.String(length=20), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('interest_fen', sa.BigInteger(), nullable=False),
    sa.Column('batch_no', sa.String(length=40), nullable=False),
    sa.Column('batch_count', sa.Integer(), nullable=False),
    sa.Column('batch_total_fen', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('bank_ref', name=op.f('pk_loan_repayments'))
    )
    with op.batch_alter_table('loan_repayments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_repayments_loan_number'), ['loan_number'], unique=False)

    op.create_table('loan_targets',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_loan_targets'))
    )
    op.create_table('loan_applications',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('bank_code', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('rate', sa.BigInteger(), nullable=False),
    sa.Column('repayment', sa.String(length=20), nullable=False),
    sa.Column('project', sa.String(length=200), nullable=False),
    sa.Column('jobs_created', sa.Integer(), nullable=False),
    sa.Column('township', sa.String(length=50), nullable=True),
    sa.Column('region', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_since', sa.Date(), nullable=False),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['loan_applicants.id'], name=op.f('fk_loan_applications_applicant_id_loan_applicants')),
    sa.ForeignKeyConstraint(['bank_code'], ['loan_banks.code'], name=op.f('fk_loan_applications_bank_code_loan_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan_applications')),
    sa.UniqueConstraint('number', name=op.f('uq_loan_applications_number'))
    )
    with op.batch_alter_table('loan_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_applications_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_applications_bank_code'), ['bank_code'], unique=False)
        batch_op.create_index('ix_loan_applications_state', ['state'], unique=False)

    op.create_table('loan_scopes',
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('bank_code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['bank_code'], ['loan_banks.code'], name=op.f('fk_loan_scopes_bank_code_loan_banks')),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_loan_scopes'))
    )
    op.create_table('loan_subsidy_claims',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('bank_code', sa.String(length=20), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('bank_ref', sa.String(length=40), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('fail_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bank_code'], ['loan_banks.code'], name=op.f('fk_loan_subsidy_claims_bank_code_loan_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan_subsidy_claims')),
    sa.UniqueConstraint('bank_code', 'quarter', name='uq_loan_claim_bank_quarter'),
    sa.UniqueConstraint('bank_ref', name=op.f('uq_loan_subsidy_claims_bank_ref'))
    )
    op.create_table('loan_partners',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['loan_applicants.id'], name=op.f('fk_loan_partners_applicant_id_loan_applicants')),
    sa.ForeignKeyConstraint(['application_id'], ['loan_applications.id'], name=op.f('fk_loan_partners_application_id_loan_applications')),
    sa.PrimaryKeyConstraint('application_id', 'applicant_id', name=op.f('pk_loan_partners'))
    )
    op.create_table('loans',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('bank_code', sa.String(length=20), nullable=False),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('rate', sa.BigInteger(), nullable=False),
    sa.Column('lpr', sa.BigInteger(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('maturity', sa.Date(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('repayment', sa.String(length=20), nullable=False),
    sa.Column('formula', sa.String(length=12), nullable=False),
    sa.Column('day_count', sa.String(length=8), nullable=False),
    sa.Column('region', sa.String(length=30), nullable=False),
    sa.Column('township', sa.String(length=50), nullable=True),
    sa.Column('target_group', sa.String(length=40), nullable=True),
    sa.Column('jobs_created', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('overdue_since', sa.Date(), nullable=True),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['loan_applicants.id'], name=op.f('fk_loans_applicant_id_loan_applicants')),
    sa.ForeignKeyConstraint(['application_id'], ['loan_applications.id'], name=op.f('fk_loans_application_id_loan_applications')),
    sa.ForeignKeyConstraint(['bank_code'], ['loan_banks.code'], name=op.f('fk_loans_bank_code_loan_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loans')),
    sa.UniqueConstraint('application_id', name=op.f('uq_loans_application_id')),
    sa.UniqueConstraint('number', name=op.f('uq_loans_number'))
    )
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loans_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index('ix_loans_bank_state', ['bank_code', 'state'], unique=False)

    op.create_table('loan_fund_entries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=6), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('fund_fen', sa.BigInteger(), nullable=False),
    sa.Column('bank_fen', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['loan_id'], ['loans.id'], name=op.f('fk_loan_fund_entries_loan_id_loans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan_fund_entries')),
    sa.UniqueConstraint('kind', 'loan_id', 'ref', name='uq_loan_fund_kind_loan_ref')
    )
    with op.batch_alter_table('loan_fund_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_fund_entries_loan_id'), ['loan_id'], unique=False)

    op.create_table('loan_periods',
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('no', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('interest_fen', sa.BigInteger(), nullable=False),
    sa.Column('borrower_fen', sa.BigInteger(), nullable=False),
    sa.Column('subsidy_fen', sa.BigInteger(), nullable=False),
    sa.Column('balance_fen', sa.BigInteger(), nullable=False),
    sa.Column('subsidised', sa.Boolean(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['loan_id'], ['loans.id'], name=op.f('fk_loan_periods_loan_id_loans')),
    sa.PrimaryKeyConstraint('loan_id', 'no', name=op.f('pk_loan_periods'))
    )
    with op.batch_alter_table('loan_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_periods_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index('ix_loan_periods_end', ['end'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('loan_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_loan_periods_end')
        batch_op.drop_index(batch_op.f('ix_loan_periods_claim_id'))

    op.drop_table('loan_periods')
    with op.batch_alter_table('loan_fund_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loan_fund_entries_loan_id'))

    op.drop_table('loan_fund_entries')
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.drop_index('ix_loans_bank_state')
        batch_op.drop_index(batch_op.f('ix_loans_applicant_id'))

    op.drop_table('loans')
    op.drop_table('loan_partners')
    op.drop_table('loan_subsidy_claims')
    op.drop_table('loan_scopes')
    with op.batch_alter_table('loan_applications', schema=None) as batch_op:
        batch_op.drop_index('ix_loan_applications_state')
        batch_op.drop_index(batch_op.f('ix_loan_applications_bank_code'))
        batch_op.drop_index(batch_op.f('ix_loan_applications_applicant_id'))

    op.drop_table('loan_applications')
    op.drop_table('loan_targets')
    with op.batch_alter_table('loan_repayments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loan_repayments_loan_number'))

    op.drop_table('loan_repayments')
    op.drop_table('loan_lpr')
    op.drop_table('loan_login_codes')
    op.drop_table('loan_intake')
    op.drop_table('loan_credit_checks')
    op.drop_table('loan_contacts')
    op.drop_table('loan_banks')
    op.drop_table('loan_applicants')
