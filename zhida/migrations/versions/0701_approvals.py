"""approvals: departments and staff, matters, cases, steps, pauses, special procedures,
容缺 promises, after-checks, parallel tasks, the 帮办代办 timeline

Revision ID: 0701_approvals
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0701_approvals"
down_revision = None
branch_labels = ("approvals",)
depends_on = ("0010_platform", "0001_registry")


def upgrade() -> None:
    op.create_table('appr_departments',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_appr_departments'))
    )
    op.create_table('appr_matters',
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('legal_days', sa.Integer(), nullable=False),
    sa.Column('promised_days', sa.Integer(), nullable=False),
    sa.Column('instant', sa.Boolean(), nullable=False),
    sa.Column('joint', sa.Boolean(), nullable=False),
    sa.Column('site_inspection', sa.Boolean(), nullable=False),
    sa.Column('expert_review', sa.Boolean(), nullable=False),
    sa.Column('notify_promise', sa.Boolean(), nullable=False),
    sa.Column('tolerance', sa.Boolean(), nullable=False),
    sa.Column('fee_fen', sa.BigInteger(), nullable=False),
    sa.Column('departments', sa.String(length=200), nullable=False),
    sa.Column('stages', sa.String(length=300), nullable=False),
    sa.Column('main_materials', sa.Text(), nullable=False),
    sa.Column('secondary_materials', sa.Text(), nullable=True),
    sa.Column('basis', sa.String(length=300), nullable=True),
    sa.Column('local_parameter', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_appr_matters'))
    )
    op.create_table('appr_settings',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_appr_settings'))
    )
    op.create_table('appr_cases',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_no', sa.String(length=40), nullable=False),
    sa.Column('case_type', sa.String(length=6), nullable=False),
    sa.Column('matter_code', sa.String(length=30), nullable=False),
    sa.Column('department', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('applicant_kind', sa.String(length=4), nullable=False),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('applicant_id', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('project_ref', sa.String(length=60), nullable=True),
    sa.Column('green_channel', sa.Boolean(), nullable=False),
    sa.Column('helper', sa.String(length=80), nullable=True),
    sa.Column('proxy', sa.Boolean(), nullable=False),
    sa.Column('proxy_authorisation', sa.String(length=100), nullable=True),
    sa.Column('guidance_on', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('first_received_on', sa.Date(), nullable=True),
    sa.Column('missing_notice_on', sa.Date(), nullable=True),
    sa.Column('missing_items', sa.Text(), nullable=True),
    sa.Column('deemed_accepted', sa.Boolean(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('acceptance_officer', sa.String(length=80), nullable=True),
    sa.Column('acceptance_doc_no', sa.String(length=60), nullable=True),
    sa.Column('tolerance', sa.Boolean(), nullable=False),
    sa.Column('pledge_no', sa.String(length=60), nullable=True),
    sa.Column('notify_promise', sa.Boolean(), nullable=False),
    sa.Column('legal_days', sa.Integer(), nullable=False),
    sa.Column('promised_days', sa.Integer(), nullable=False),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('legal_due', sa.Date(), nullable=True),
    sa.Column('promised_due', sa.Date(), nullable=True),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('certificate_no', sa.String(length=60), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('used_days', sa.Integer(), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('delivery_method', sa.String(length=20), nullable=True),
    sa.Column('rating', sa.String(length=10), nullable=True),
    sa.Column('rating_comment', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['matter_code'], ['appr_matters.code'], name=op.f('fk_appr_cases_matter_code_appr_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appr_cases')),
    sa.UniqueConstraint('case_no', name=op.f('uq_appr_cases_case_no'))
    )
    op.create_index(op.f('ix_appr_cases_accepted_on'), 'appr_cases', ['accepted_on'], unique=False)
    op.create_index(op.f('ix_appr_cases_applicant_id'), 'appr_cases', ['applicant_id'], unique=False)
    op.create_index(op.f('ix_appr_cases_department'), 'appr_cases', ['department'], unique=False)
    op.create_index(op.f('ix_appr_cases_matter_code'), 'appr_cases', ['matter_code'], unique=False)
    op.create_index('ix_appr_cases_month_matter', 'appr_cases', ['month', 'matter_code'], unique=False)
    op.create_index(op.f('ix_appr_cases_project_ref'), 'appr_cases', ['project_ref'], unique=False)
    op.create_index(op.f('ix_appr_cases_state'), 'appr_cases', ['state'], unique=False)
    op.create_table('appr_staff',
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('department', sa.String(length=20), nullable=False),
    sa.Column('is_head', sa.Boolean(), nullable=False),
    sa.Column('is_helper', sa.Boolean(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['department'], ['appr_departments.code'], name=op.f('fk_appr_staff_department_appr_departments')),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_appr_staff'))
    )
    op.create_index(op.f('ix_appr_staff_department'), 'appr_staff', ['department'], unique=False)
    op.create_table('appr_checks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('officer', sa.String(length=80), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['appr_cases.id'], name=op.f('fk_appr_checks_case_id_appr_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appr_checks'))
    )
    op.create_index(op.f('ix_appr_checks_case_id'), 'appr_checks', ['case_id'], unique=False)
    op.create_index(op.f('ix_appr_checks_due'), 'appr_checks', ['due'], unique=False)
    op.create_table('appr_pauses',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=10), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('notice_no', sa.String(length=60), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['appr_cases.id'], name=op.f('fk_appr_pauses_case_id_appr_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appr_pauses'))
    )
    op.create_index(op.f('ix_appr_pauses_case_id'), 'appr_pauses', ['case_id'], unique=False)
    op.create_table('appr_promises',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('material', sa.String(length=200), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('consequence', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['appr_cases.id'], name=op.f('fk_appr_promises_case_id_appr_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appr_promises'))
    )
    op.create_index(op.f('ix_appr_promises_case_id'), 'appr_promises', ['case_id'], unique=False)
    op.create_index(op.f('ix_appr_promises_due'), 'appr_promises', ['due'], unique=False)
    op.create_table('appr_service',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('by', sa.String(length=80), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['appr_cases.id'], name=op.f('fk_appr_service_case_id_appr_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appr_service'))
    )
    op.create_index(op.f('ix_appr_service_case_id'), 'appr_service', ['case_id'], unique=False)
    op.create_table('appr_special',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('approver', sa.String(length=80), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('result', sa.String(length=500), nullable=True),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['appr_cases.id'], name=op.f('fk_appr_special_case_id_appr_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appr_special'))
    )
    op.create_index(op.f('ix_appr_special_case_id'), 'appr_special', ['case_id'], unique=False)
    op.create_table('appr_steps',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('department', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=4), nullable=False),
    sa.Column('officer', sa.String(length=80), nullable=False),
    sa.Column('opinion', sa.String(length=1000), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['appr_cases.id'], name=op.f('fk_appr_steps_case_id_appr_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appr_steps'))
    )
    op.create_index(op.f('ix_appr_steps_case_id'), 'appr_steps', ['case_id'], unique=False)
    op.create_table('appr_tasks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('department', sa.String(length=20), nullable=False),
    sa.Column('owner', sa.String(length=80), nullable=False),
    sa.Column('limit_days', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('result', sa.String(length=4), nullable=True),
    sa.Column('opinion', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['appr_cases.id'], name=op.f('fk_appr_tasks_case_id_appr_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appr_tasks'))
    )
    op.create_index(op.f('ix_appr_tasks_case_id'), 'appr_tasks', ['case_id'], unique=False)
    op.create_index(op.f('ix_appr_tasks_department'), 'appr_tasks', ['department'], unique=False)
    op.create_index(op.f('ix_appr_tasks_owner'), 'appr_tasks', ['owner'], unique=False)


def downgrade() -> None:
    for table in ("appr_service", "appr_tasks", "appr_checks", "appr_promises", "appr_special", "appr_pauses",
                  "appr_steps", "appr_cases", "appr_staff", "appr_settings", "appr_matters", "appr_departments"):
        op.drop_table(table)
