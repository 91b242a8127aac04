"""prescription rules core and drug reference data: the drugs and drug_products tables

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('drugs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generic', sa.String(length=120), nullable=False),
    sa.Column('brands', sa.String(length=400), nullable=False),
    sa.Column('drug_class', sa.String(length=200), nullable=False),
    sa.Column('schedule', sa.String(length=4), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('updated_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drugs'))
    )
    with op.batch_alter_table('drugs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drugs_drug_class'), ['drug_class'], unique=False)
        batch_op.create_index(batch_op.f('ix_drugs_generic'), ['generic'], unique=True)
        batch_op.create_index(batch_op.f('ix_drugs_schedule'), ['schedule'], unique=False)

    op.create_table('drug_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drug_id', sa.Integer(), nullable=False),
    sa.Column('ndc', sa.String(length=14), nullable=False),
    sa.Column('ndc11', sa.String(length=11), nullable=False),
    sa.Column('training', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['drug_id'], ['drugs.id'], name=op.f('fk_drug_products_drug_id_drugs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drug_products'))
    )
    with op.batch_alter_table('drug_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drug_products_drug_id'), ['drug_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_drug_products_ndc11'), ['ndc11'], unique=True)



def downgrade():
    with op.batch_alter_table('drug_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drug_products_ndc11'))
        batch_op.drop_index(batch_op.f('ix_drug_products_drug_id'))

    op.drop_table('drug_products')
    with op.batch_alter_table('drugs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drugs_schedule'))
        batch_op.drop_index(batch_op.f('ix_drugs_generic'))
        batch_op.drop_index(batch_op.f('ix_drugs_drug_class'))

    op.drop_table('drugs')
