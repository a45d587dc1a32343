"""projects: task forces, the key-project ledger, custom field values, monthly reports and their
revisions, evidence files, problems and factor requests with notes, investment leads, targets

Revision ID: 0801_projects
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0801_projects"
down_revision = None
branch_labels = ("projects",)
depends_on = ("0010_platform", "0001_registry")


def upgrade() -> None:
    op.create_table('project_field_values',
    sa.Column('project_code', sa.String(length=40), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.PrimaryKeyConstraint('project_code', 'field', name=op.f('pk_project_field_values'))
    )
    op.create_table('project_files',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('owner', sa.String(length=10), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('stored', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.String(length=60), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_files'))
    )
    op.create_index('ix_project_files_owner', 'project_files', ['owner', 'owner_id'], unique=False)
    op.create_table('project_targets',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('target', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('actual', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.PrimaryKeyConstraint('year', 'indicator', name=op.f('pk_project_targets'))
    )
    op.create_table('project_task_forces',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('head_name', sa.String(length=50), nullable=True),
    sa.Column('head_user', sa.String(length=60), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_project_task_forces'))
    )
    op.create_table('project_task_force_members',
    sa.Column('task_force', sa.String(length=60), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['task_force'], ['project_task_forces.name'], name=op.f('fk_project_task_force_members_task_force_project_task_forces')),
    sa.PrimaryKeyConstraint('task_force', 'username', name=op.f('pk_project_task_force_members'))
    )
    op.create_table('projects',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('enterprise', sa.String(length=200), nullable=True),
    sa.Column('industry', sa.String(length=60), nullable=True),
    sa.Column('township', sa.String(length=50), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('ptype', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('plan_year', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('year_plan_fen', sa.BigInteger(), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_end', sa.Date(), nullable=True),
    sa.Column('task_force', sa.String(length=60), nullable=True),
    sa.Column('leader_name', sa.String(length=50), nullable=True),
    sa.Column('leader_user', sa.String(length=60), nullable=True),
    sa.Column('leader_phone', sa.String(length=20), nullable=True),
    sa.Column('dept_name', sa.String(length=60), nullable=True),
    sa.Column('dept_user', sa.String(length=60), nullable=True),
    sa.Column('township_user', sa.String(length=60), nullable=True),
    sa.Column('contact_name', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('contact_user', sa.String(length=60), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['task_force'], ['project_task_forces.name'], name=op.f('fk_projects_task_force_project_task_forces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('code', name=op.f('uq_projects_code'))
    )
    op.create_index(op.f('ix_projects_leader_user'), 'projects', ['leader_user'], unique=False)
    op.create_index(op.f('ix_projects_task_force'), 'projects', ['task_force'], unique=False)
    op.create_index(op.f('ix_projects_township'), 'projects', ['township'], unique=False)
    op.create_index(op.f('ix_projects_uscc'), 'projects', ['uscc'], unique=False)
    op.create_index('ix_projects_year_category', 'projects', ['plan_year', 'category'], unique=False)
    op.create_table('investment_leads',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('investor', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('industry', sa.String(length=60), nullable=True),
    sa.Column('township', sa.String(length=50), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('funds_in_place_fen', sa.BigInteger(), nullable=False),
    sa.Column('responsible', sa.String(length=50), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('talks_on', sa.Date(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('landed_on', sa.Date(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('producing_on', sa.Date(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_investment_leads_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investment_leads'))
    )
    op.create_table('project_issues',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('factor', sa.String(length=10), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('owner_dept', sa.String(length=60), nullable=False),
    sa.Column('owner_user', sa.String(length=60), nullable=True),
    sa.Column('owner_phone', sa.String(length=20), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('due_days', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('opened_by', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_issues_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_issues'))
    )
    op.create_index(op.f('ix_project_issues_project_id'), 'project_issues', ['project_id'], unique=False)
    op.create_index('ix_project_issues_state_due', 'project_issues', ['state', 'due_on'], unique=False)
    op.create_table('project_reports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('project_code', sa.String(length=40), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('year_done_fen', sa.BigInteger(), nullable=False),
    sa.Column('total_done_fen', sa.BigInteger(), nullable=False),
    sa.Column('progress_pct', sa.Integer(), nullable=False),
    sa.Column('progress_text', sa.Text(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('reported_by', sa.String(length=60), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_reports_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_reports')),
    sa.UniqueConstraint('project_code', 'month', name=op.f('uq_project_reports_project_code'))
    )
    op.create_index('ix_project_reports_month', 'project_reports', ['month'], unique=False)
    op.create_index('ix_project_reports_project_month', 'project_reports', ['project_id', 'month'], unique=False)
    op.create_table('project_issue_notes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('author', sa.String(length=60), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['issue_id'], ['project_issues.id'], name=op.f('fk_project_issue_notes_issue_id_project_issues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_issue_notes'))
    )
    op.create_index(op.f('ix_project_issue_notes_issue_id'), 'project_issue_notes', ['issue_id'], unique=False)
    op.create_table('project_report_revisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('replaced_by', sa.String(length=60), nullable=False),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['project_reports.id'], name=op.f('fk_project_report_revisions_report_id_project_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_report_revisions'))
    )
    op.create_index(op.f('ix_project_report_revisions_report_id'), 'project_report_revisions', ['report_id'], unique=False)


def downgrade() -> None:
    op.drop_table('project_report_revisions')
    op.drop_table('project_issue_notes')
    op.drop_table('project_reports')
    op.drop_table('project_issues')
    op.drop_table('investment_leads')
    op.drop_table('projects')
    op.drop_table('project_task_force_members')
    op.drop_table('project_task_forces')
    op.drop_table('project_targets')
    op.drop_table('project_files')
    op.drop_table('project_field_values')
