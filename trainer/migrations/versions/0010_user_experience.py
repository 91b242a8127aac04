"""user-experience pass (course drafts, post-test policy) (schema changes of this area, if any)

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # The CE post-test's attempt limit and the wait between attempts (trainer.ce.post_test).
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('post_test_attempts', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('post_test_wait_hours', sa.Integer(), server_default='24', nullable=False))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('post_test_wait_hours')
        batch_op.drop_column('post_test_attempts')
