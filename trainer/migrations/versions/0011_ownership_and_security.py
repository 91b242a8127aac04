"""ownership, co-authors and security fixes: owners and co-authors of courses, quizzes, questions

Revision ID: 0011
Revises: 0010

Each course, quiz and question gets an owner, backfilled from who created it where that
was recorded (a quiz's creator, a question's first version, a course's first module
revision), else the first admin; and a table of co-authors per kind.
"""
from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ITEMS = (("courses", "course_co_authors"), ("quizzes", "quiz_co_authors"), ("questions", "question_co_authors"))


def upgrade():
    for table, co_authors in ITEMS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_owner_id'), ['owner_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_owner_id_users'), 'users', ['owner_id'], ['id'],
                                        ondelete='SET NULL')
        op.create_table(
            co_authors,
            sa.Column('item_id', sa.Integer(), nullable=False),
            sa.Column('user_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['item_id'], [f'{table}.id'], name=op.f(f'fk_{co_authors}_item_id_{table}'),
                                    ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f(f'fk_{co_authors}_user_id_users'),
                                    ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('item_id', 'user_id', name=op.f(f'pk_{co_authors}')),
        )
        with op.batch_alter_table(co_authors, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{co_authors}_user_id'), ['user_id'], unique=False)

    # Backfill: the creator where it was recorded, else the first admin (none: left without owner).
    first_admin = "(SELECT MIN(id) FROM users WHERE role = 'admin')"
    op.execute(
        "UPDATE quizzes SET owner_id = COALESCE("
        "(SELECT u.id FROM users u WHERE u.id = quizzes.created_by_id), " + first_admin + ")"
    )
    op.execute(
        "UPDATE questions SET owner_id = COALESCE("
        "(SELECT u.id FROM question_versions v JOIN users u ON u.id = v.created_by_id "
        " WHERE v.question_id = questions.id ORDER BY v.number LIMIT 1), " + first_admin + ")"
    )
    op.execute(
        "UPDATE courses SET owner_id = COALESCE("
        "(SELECT u.id FROM module_revisions r JOIN modules m ON m.id = r.module_id "
        " JOIN users u ON u.id = r.created_by_id WHERE m.course_id = courses.id "
        " ORDER BY r.created_at, r.id LIMIT 1), " + first_admin + ")"
    )


def downgrade():
    for table, co_authors in reversed(ITEMS):
        with op.batch_alter_table(co_authors, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{co_authors}_user_id'))
        op.drop_table(co_authors)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_owner_id_users'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_owner_id'))
            batch_op.drop_column('owner_id')
