"""decisions keep their standard reasons, conditions and suggestions; letters stored once; audio.delete_after dropped

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_keys', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('condition_keys', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('fixed_at_once', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('suggestions', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_decision_id'), ['decision_id'], unique=False)
    with op.batch_alter_table('audio', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audio_delete_after'))
        batch_op.drop_column('delete_after')


def downgrade() -> None:
    with op.batch_alter_table('audio', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delete_after', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audio_delete_after'), ['delete_after'], unique=False)
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_decision_id'))
        batch_op.drop_index(batch_op.f('ix_letters_application_id'))
    op.drop_table('letters')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('suggestions')
        batch_op.drop_column('fixed_at_once')
        batch_op.drop_column('condition_keys')
        batch_op.drop_column('reason_keys')
