"""cohorts, assignments, gradebook: cohorts with join codes and invitations, assignments and
extensions, and what item analysis needs from attempts (time on item, choices picked)

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

CHOICE_TYPES = ('single_choice', 'multiple_response', 'true_false')
BATCH = 1000


def _chosen(instance, response):
    """The choices an answer picked by file id (as trainer.teaching.item_statistics.chosen_in_file_order,
    copied here so this migration never changes when the app does)."""
    if not isinstance(instance, dict):
        return None
    if instance.get('type') == 'true_false':
        if isinstance(response, bool):
            return ['true' if response else 'false']
        if isinstance(response, str) and response.strip().lower() in ('true', 'false'):
            return [response.strip().lower()]
        return None
    if instance.get('type') not in ('single_choice', 'multiple_response'):
        return None
    source_of = {c.get('id'): c.get('source') for c in instance.get('choices', []) if isinstance(c, dict)}
    picked = []
    for shown in response if isinstance(response, list) else [response]:
        source = source_of.get(shown.strip().lower()) if isinstance(shown, str) else None
        if source is not None and source not in picked:
            picked.append(source)
    return picked or None


def _backfill_chosen():
    """Record the choices picked in answers graded before this revision, for item analysis."""
    bind = op.get_bind()
    items = sa.table('attempt_items', sa.column('id', sa.Integer), sa.column('question_id', sa.Integer),
                     sa.column('instance', sa.JSON), sa.column('response', sa.JSON),
                     sa.column('graded_at'), sa.column('chosen', sa.JSON))
    questions = sa.table('questions', sa.column('id', sa.Integer), sa.column('type', sa.String))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(items.c.id, items.c.instance, items.c.response)
            .join(questions, questions.c.id == items.c.question_id)
            .where(questions.c.type.in_(CHOICE_TYPES), items.c.graded_at.is_not(None), items.c.id > last)
            .order_by(items.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        for item_id, instance, response in rows:
            chosen = _chosen(instance, response)
            if chosen is not None:
                bind.execute(sa.update(items).where(items.c.id == item_id).values(chosen=chosen))
        last = rows[-1][0]


def upgrade():
    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('term', sa.String(length=60), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('join_code', sa.String(length=20), nullable=False),
    sa.Column('joining_open', sa.Boolean(), nullable=False),
    sa.Column('created_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cohorts_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohorts_join_code'), ['join_code'], unique=True)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('opens_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('late_policy', sa.String(length=10), nullable=False),
    sa.Column('late_penalty_per_day', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('created_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("late_policy IN ('accept', 'penalty', 'refuse')", name=op.f('ck_assignments_late_policy')),
    sa.CheckConstraint('late_penalty_per_day BETWEEN 0 AND 100', name=op.f('ck_assignments_late_penalty_per_day')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_assignments_weight')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_assignments_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assignments_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('cohort_id', 'kind', 'target_id', name=op.f('uq_assignments_cohort_id'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_cohort_due', ['cohort_id', 'due_at'], unique=False)

    op.create_table('cohort_instructors',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_instructors_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_instructors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id', name=op.f('pk_cohort_instructors'))
    )
    with op.batch_alter_table('cohort_instructors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_instructors_user_id'), ['user_id'], unique=False)

    op.create_table('cohort_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', trainer.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_cohort_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_invitations_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cohort_invitations_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_invitations')),
    sa.UniqueConstraint('cohort_id', 'email', name=op.f('uq_cohort_invitations_cohort_id'))
    )
    op.create_table('cohort_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('joined_via', sa.String(length=20), nullable=False),
    sa.Column('removed_at', trainer.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("joined_via IN ('code', 'class_list', 'invitation')", name=op.f('ck_cohort_members_joined_via')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_members_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_members')),
    sa.UniqueConstraint('cohort_id', 'user_id', name=op.f('uq_cohort_members_cohort_id'))
    )
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_members_user_id'), ['user_id'], unique=False)

    op.create_table('assignment_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('due_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('granted_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_extensions_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_assignment_extensions_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignment_extensions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_extensions')),
    sa.UniqueConstraint('assignment_id', 'user_id', name=op.f('uq_assignment_extensions_assignment_id'))
    )
    with op.batch_alter_table('assignment_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_extensions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seconds_on_item', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chosen', sa.JSON(), nullable=True))

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_since', trainer.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_attempts_quiz_status', ['quiz_id', 'status'], unique=False)

    _backfill_chosen()


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_quiz_status')
        batch_op.drop_column('position_since')

    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_column('chosen')
        batch_op.drop_column('seconds_on_item')

    with op.batch_alter_table('assignment_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_user_id'))

    op.drop_table('assignment_extensions')
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_members_user_id'))

    op.drop_table('cohort_members')
    op.drop_table('cohort_invitations')
    with op.batch_alter_table('cohort_instructors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_instructors_user_id'))

    op.drop_table('cohort_instructors')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_cohort_due')

    op.drop_table('assignments')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohorts_join_code'))

    op.drop_table('cohorts')
