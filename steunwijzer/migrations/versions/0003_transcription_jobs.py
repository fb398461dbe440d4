"""transcription jobs

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-07 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('transcription_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audio_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=32), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('max_seconds', sa.Double(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('progress', sa.Double(), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('error_params', sa.JSON(), nullable=False),
    sa.Column('transcript', sa.Text(), nullable=True),
    sa.Column('detected_language', sa.String(length=8), nullable=True),
    sa.Column('detected_probability', sa.Double(), nullable=True),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('worker', sa.String(length=120), nullable=True),
    sa.Column('heartbeat', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['audio_id'], ['audio.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transcription_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcription_jobs_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcription_jobs_audio_id'), ['audio_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcription_jobs_state'), ['state'], unique=False)
        batch_op.create_index('ix_transcription_jobs_question', ['application_id', 'form', 'question_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('transcription_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_transcription_jobs_question')
        batch_op.drop_index(batch_op.f('ix_transcription_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_transcription_jobs_audio_id'))
        batch_op.drop_index(batch_op.f('ix_transcription_jobs_application_id'))
    op.drop_table('transcription_jobs')
