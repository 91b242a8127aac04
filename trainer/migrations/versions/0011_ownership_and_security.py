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


def _add_owner_column(table: str) -> None:
    """owner_id with its foreign key, without rebuilding the table.

    On SQLite a batch rebuild drops the old table, and with foreign keys on (they are, on
    every connection) dropping `questions` deletes every question version, `courses` every
    module, through ON DELETE CASCADE (see 0008). SQLite adds a nullable column with a
    REFERENCES clause in place; PostgreSQL alters in place anyway.
    """
    bind = op.get_bind()
    if 'owner_id' in {column['name'] for column in sa.inspect(bind).get_columns(table)}:
        return  # left by a downgrade on SQLite (which cannot drop it without the rebuild)
    if bind.dialect.name == 'sqlite':
        # Adding a column only changes the schema text (old rows read it as NULL), and so does
        # adding a foreign key that every row satisfies: SQLite's documented way for changes
        # that leave the data as it is (https://www.sqlite.org/lang_altertable.html#otheralter).
        op.execute(f'ALTER TABLE {table} ADD COLUMN owner_id INTEGER')
        sql = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
        end = sql.rstrip().rindex(')')
        constraint = (f', \n\tCONSTRAINT fk_{table}_owner_id_users FOREIGN KEY(owner_id) '
                      'REFERENCES users (id) ON DELETE SET NULL')
        version = bind.exec_driver_sql('PRAGMA schema_version').scalar()
        bind.exec_driver_sql('PRAGMA writable_schema=ON')
        bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                             (sql[:end] + constraint + sql[end:], table))
        bind.exec_driver_sql(f'PRAGMA schema_version={int(version) + 1}')
        bind.exec_driver_sql('PRAGMA writable_schema=OFF')
    else:
        op.add_column(table, sa.Column('owner_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(f'fk_{table}_owner_id_users'), table, 'users', ['owner_id'], ['id'],
                              ondelete='SET NULL')


def upgrade():
    for table, co_authors in ITEMS:
        _add_owner_column(table)
        op.create_index(op.f(f'ix_{table}_owner_id'), table, ['owner_id'], unique=False)
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
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, co_authors in reversed(ITEMS):
        op.drop_index(op.f(f'ix_{co_authors}_user_id'), table_name=co_authors)
        op.drop_table(co_authors)
        op.drop_index(op.f(f'ix_{table}_owner_id'), table_name=table)
        if sqlite:
            # SQLite cannot drop a column with a foreign key without rebuilding the table, and
            # the rebuild would cascade-delete its children (see _add_owner_column): the unused,
            # nullable column stays, and upgrading again reuses it.
            continue
        op.drop_constraint(op.f(f'fk_{table}_owner_id_users'), table, type_='foreignkey')
        op.drop_column(table, 'owner_id')
