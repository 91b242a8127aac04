"""prescription-processing simulator: imported and authored scenarios, learners' runs

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scenarios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version_hash', sa.String(length=64), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('blueprint', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('dispense', 'validation')", name=op.f('ck_scenarios_kind')),
    sa.CheckConstraint("status IN ('draft', 'published', 'retired')", name=op.f('ck_scenarios_status')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_scenarios_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenarios'))
    )
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenarios_slug'), ['slug'], unique=True)
        batch_op.create_index(batch_op.f('ix_scenarios_status'), ['status'], unique=False)

    op.create_table('scenario_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('version_hash', sa.String(length=64), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('blueprint', sa.JSON(), nullable=False),
    sa.Column('current_step', sa.Integer(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('score', sa.Numeric(precision=8, scale=4), nullable=True),
    sa.Column('percent', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('started_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', trainer.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('dispense', 'validation')", name=op.f('ck_scenario_runs_kind')),
    sa.CheckConstraint("mode IN ('practice', 'assessed')", name=op.f('ck_scenario_runs_mode')),
    sa.CheckConstraint("status IN ('in_progress', 'submitted')", name=op.f('ck_scenario_runs_status')),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], name=op.f('fk_scenario_runs_scenario_id_scenarios'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_scenario_runs_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_runs'))
    )
    with op.batch_alter_table('scenario_runs', schema=None) as batch_op:
        batch_op.create_index('ix_scenario_runs_user_scenario', ['user_id', 'scenario_id'], unique=False)
        batch_op.create_index('ix_scenario_runs_user_status', ['user_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('scenario_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_scenario_runs_user_status')
        batch_op.drop_index('ix_scenario_runs_user_scenario')
    op.drop_table('scenario_runs')
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenarios_status'))
        batch_op.drop_index(batch_op.f('ix_scenarios_slug'))
    op.drop_table('scenarios')
