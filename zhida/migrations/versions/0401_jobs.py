"""jobs: jobs, seekers, job fairs, fair participation, match notices

Revision ID: 0401_jobs
Revises: 0001_registry
"""

import sqlalchemy as sa
from alembic import op

revision = "0401_jobs"
down_revision = "0001_registry"
branch_labels = ("jobs",)
depends_on = ("0010_platform",)



def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("job_no", sa.String(40), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("occupation_code", sa.String(10), nullable=True),
        sa.Column("occupation_source", sa.String(10), nullable=True),
        sa.Column("township", sa.String(50), nullable=True),
        sa.Column("salary_min", sa.Integer(), nullable=False),
        sa.Column("salary_max", sa.Integer(), nullable=False),
        sa.Column("education", sa.String(10), nullable=False),
        sa.Column("experience_years", sa.Integer(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["uscc"], ["units.uscc"], name="fk_jobs_uscc_units"),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.UniqueConstraint("uscc", "job_no", name="uq_jobs_uscc_job_no"),
    )
    op.create_index("ix_jobs_uscc", "jobs", ["uscc"])
    op.create_index("ix_jobs_occupation_code", "jobs", ["occupation_code"])
    op.create_index("ix_jobs_valid_until", "jobs", ["valid_until"])
    op.create_table(
        "seekers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("desired", sa.String(300), nullable=True),
        sa.Column("desired_codes", sa.String(200), nullable=True),
        sa.Column("townships", sa.String(300), nullable=True),
        sa.Column("home_township", sa.String(50), nullable=True),
        sa.Column("salary_expected", sa.Integer(), nullable=False),
        sa.Column("education", sa.String(10), nullable=False),
        sa.Column("experience_years", sa.Integer(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=True),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("categories", sa.String(200), nullable=True),
        sa.Column("registered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_seekers"),
        sa.UniqueConstraint("id_number", name="uq_seekers_id_number"),
    )
    op.create_table(
        "job_fairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("host", sa.String(100), nullable=True),
        sa.Column("stream_url", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_job_fairs"),
    )
    op.create_table(
        "fair_jobs",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["fair_id"], ["job_fairs.id"], name="fk_fair_jobs_fair_id_job_fairs", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name="fk_fair_jobs_job_id_jobs", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("fair_id", "job_id", name="pk_fair_jobs"),
    )
    op.create_table(
        "fair_registrations",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["fair_id"], ["job_fairs.id"], name="fk_fair_registrations_fair_id_job_fairs",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["seeker_id"], ["seekers.id"], name="fk_fair_registrations_seeker_id_seekers",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name="fk_fair_registrations_job_id_jobs", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("fair_id", "seeker_id", name="pk_fair_registrations"),
    )
    op.create_table(
        "job_match_notices",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("outbox_key", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name="fk_job_match_notices_job_id_jobs", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["seeker_id"], ["seekers.id"], name="fk_job_match_notices_seeker_id_seekers",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", "seeker_id", name="pk_job_match_notices"),
    )


def downgrade() -> None:
    for table in ("job_match_notices", "fair_registrations", "fair_jobs", "job_fairs", "seekers"):
        op.drop_table(table)
    op.drop_index("ix_jobs_valid_until", "jobs")
    op.drop_index("ix_jobs_occupation_code", "jobs")
    op.drop_index("ix_jobs_uscc", "jobs")
    op.drop_table("jobs")
