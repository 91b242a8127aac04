"""base second pass: question versions keep their stem and explanation rendered at save time

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Question versions keep their stem and explanation rendered at save time.
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stem_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('explanation_html', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.drop_column('explanation_html')
        batch_op.drop_column('stem_html')
