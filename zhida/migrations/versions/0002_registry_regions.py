"""registry: administrative divisions (行政区划), seeded from the shipped data file

Revision ID: 0002_registry_regions
Revises: 0001_registry
"""
import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002_registry_regions"
down_revision = "0001_registry"
branch_labels = None
depends_on = None

DATA = Path(__file__).resolve().parents[2] / "registry" / "data" / "regions.csv"


def upgrade() -> None:
    table = op.create_table(
        "regions",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("township", sa.String(length=50), nullable=False),
        sa.Column("county_name", sa.String(length=50), nullable=False),
        sa.Column("city_name", sa.String(length=50), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("county_code", "township", name=op.f("pk_regions")),
    )
    rows, seen = [], {}
    with DATA.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            pos = seen.get(r["county_code"], 0)
            seen[r["county_code"]] = pos + 1
            rows.append({"county_code": r["county_code"], "township": r["township"], "county_name": r["county_name"],
                         "city_name": r["city_name"], "kind": r["kind"], "position": pos})
    op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("regions")
