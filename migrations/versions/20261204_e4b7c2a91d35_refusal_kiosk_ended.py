"""refused ballots: a new reason, kiosk_ended (cast on a tablet after its kiosk was ended)

Revision ID: e4b7c2a91d35
Revises: 5c1e7a9d2b40
Create Date: 2026-12-04 17:00:00

The reasons are a VARCHAR under the CHECK constraint ck_refused_ballot_reason (enum_column: no native
enum on PostgreSQL), so the constraint is made again with the new value.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e4b7c2a91d35'
down_revision = '5c1e7a9d2b40'
branch_labels = None
depends_on = None

OLD = ('code_unknown', 'code_used', 'code_void', 'already_voted', 'not_open', 'invalid')
NEW = OLD + ('kiosk_ended',)


def _check(values):
    return "reason IN ({})".format(", ".join(f"'{value}'" for value in values))


def upgrade():
    with op.batch_alter_table('refused_ballot', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_refused_ballot_reason'), type_='check')
        batch_op.create_check_constraint(op.f('ck_refused_ballot_reason'), _check(NEW))


def downgrade():
    # the old constraint cannot hold these rows: they go, as the reason they were kept for goes
    op.execute("DELETE FROM refused_ballot WHERE reason = 'kiosk_ended'")
    with op.batch_alter_table('refused_ballot', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_refused_ballot_reason'), type_='check')
        batch_op.create_check_constraint(op.f('ck_refused_ballot_reason'), _check(OLD))
