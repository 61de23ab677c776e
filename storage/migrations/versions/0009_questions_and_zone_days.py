"""Open questions to chats, and the ledger's days per zone.

`questions` keeps the one question each chat was asked and has not answered (a timezone,
topics), so the answer is recognised by data rather than by the text it replies to.

`deliveries.timezone` says which zone a ledger row's `local_date` is a date of: after a change
of zone, "today's digest went out" is judged by the new zone's date, so no day is skipped.
Existing rows take their subscriber's present zone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("pending", sa.JSON(), nullable=False),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("timezone", sa.String(64), nullable=False, server_default=""))
    op.execute(
        "UPDATE deliveries SET timezone = "
        "(SELECT subscribers.timezone FROM subscribers "
        "WHERE subscribers.id = deliveries.subscriber_id)"
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("uq_deliveries_subscriber_day", type_="unique")
        batch.create_unique_constraint(
            "uq_deliveries_subscriber_zone_day", ["subscriber_id", "local_date", "timezone"]
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("uq_deliveries_subscriber_zone_day", type_="unique")
        batch.create_unique_constraint(
            "uq_deliveries_subscriber_day", ["subscriber_id", "local_date"]
        )
        batch.drop_column("timezone")
    op.drop_table("questions")
