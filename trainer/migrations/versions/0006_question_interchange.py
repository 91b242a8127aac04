"""question interchange, essay and description items

A question imported without general feedback is kept as a draft that needs an
explanation (questions.needs_explanation); an essay item is graded by hand, so an
attempt item records who graded it and their comment.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=100), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('defaults', sa.JSON(), nullable=False),
    sa.Column('created_at', trainer.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_imports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_imports')),
    sa.UniqueConstraint('token', name=op.f('uq_pending_imports_token'))
    )
    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_imports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_imports_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_explanation', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_questions_needs_explanation'), ['needs_explanation'], unique=False)

    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('graded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('grader_comment', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_attempt_items_graded_by_id_users'), 'users', ['graded_by_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempt_items_graded_by_id_users'), type_='foreignkey')
        batch_op.drop_column('grader_comment')
        batch_op.drop_column('graded_by_id')

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_needs_explanation'))
        batch_op.drop_column('needs_explanation')

    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_imports_user_id'))
        batch_op.drop_index(batch_op.f('ix_pending_imports_created_at'))

    op.drop_table('pending_imports')
