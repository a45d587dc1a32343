"""web: accounts, login_attempts, login_codes, web_tasks

Revision ID: 0501_web
Revises: 0001_registry
"""

import sqlalchemy as sa
from alembic import op

revision = "0501_web"
down_revision = "0001_registry"
branch_labels = ("web",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=True),
        sa.Column("display_name", sa.String(100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", name="pk_accounts"),
    )
    op.create_index("ix_accounts_uscc", "accounts", ["uscc"])
    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_login_attempts"),
    )
    op.create_table(
        "login_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("code_hash", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_codes"),
    )
    op.create_index("ix_login_codes_username", "login_codes", ["username"])
    op.create_table(
        "web_tasks",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(60), nullable=False),
        sa.Column("status", sa.String(6), nullable=False),
        sa.Column("step", sa.String(100), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_web_tasks"),
    )


def downgrade() -> None:
    op.drop_table("web_tasks")
    op.drop_index("ix_login_codes_username", table_name="login_codes")
    op.drop_table("login_codes")
    op.drop_table("login_attempts")
    op.drop_index("ix_accounts_uscc", table_name="accounts")
    op.drop_table("accounts")
