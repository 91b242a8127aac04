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
    pass


def downgrade():
    pass
