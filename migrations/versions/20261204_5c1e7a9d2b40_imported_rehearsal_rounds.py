"""imported rehearsal rounds: a round made from a Pabulib file, and its proposals kept apart

Revision ID: 5c1e7a9d2b40
Revises: 93295adfb022
Create Date: 2026-12-04 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e7a9d2b40'
down_revision = '93295adfb022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('voting_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported_from', sa.String(length=200), server_default='', nullable=False))
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rehearsal', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('village_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_proposal_real_proposal_has_village'),
                                         "rehearsal OR village_id IS NOT NULL")


def downgrade():
    op.execute("DELETE FROM proposal WHERE rehearsal")
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposal_real_proposal_has_village'), type_='check')
        batch_op.alter_column('village_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('rehearsal')
    with op.batch_alter_table('voting_round', schema=None) as batch_op:
        batch_op.drop_column('imported_from')
