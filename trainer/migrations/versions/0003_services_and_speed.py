"""base second pass (indexes, progress writes) (schema changes of this area, if any)

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
    pass


def downgrade():
    pass
