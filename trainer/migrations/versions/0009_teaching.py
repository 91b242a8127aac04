"""cohorts, assignments, gradebook (schema changes of this area, if any)

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


def upgrade():
    pass


def downgrade():
    pass
