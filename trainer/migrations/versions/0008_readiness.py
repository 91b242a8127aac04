"""exam readiness: mastery evidence, exam goals, missed questions, flashcards; mock exam
and practice attempts with unscored items

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


OLD_KINDS = "kind IN ('quiz', 'module_check')"
NEW_KINDS = "kind IN ('quiz', 'module_check', 'mock_exam', 'practice')"


def _attempt_kinds(old: str, new: str) -> None:
    """Change the CHECK constraint on attempts.kind without rebuilding the table.

    On SQLite a batch rebuild drops the old table, and with foreign keys on (they are,
    on every connection, and a pragma cannot change inside the migration's transaction)
    dropping `attempts` deletes every attempt item through ON DELETE CASCADE. Loosening
    or tightening a CHECK constraint changes nothing on disk, so SQLite's documented way
    applies: edit the table's schema text and bump schema_version
    (https://www.sqlite.org/lang_altertable.html#otheralter). PostgreSQL alters it in place.
    """
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f('ck_attempts_kind'), 'attempts', type_='check')
        op.create_check_constraint(op.f('ck_attempts_kind'), 'attempts', new)
        return
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attempts'"
    ).scalar()
    if f"CHECK ({old})" not in sql:
        raise RuntimeError(f"attempts has no constraint CHECK ({old}) to change")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'attempts'",
        (sql.replace(f"CHECK ({old})", f"CHECK ({new})"),),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade():
    op.create_table('area_mastery',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('right', sa.Float(), nullable=False),
    sa.Column('wrong', sa.Float(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('as_of', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_area_mastery_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'code', name=op.f('pk_area_mastery'))
    )
    op.create_table('exam_goals',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('outline', sa.String(length=30), nullable=False),
    sa.Column('exam_date', sa.Date(), nullable=True),
    sa.Column('updated_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exam_goals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_exam_goals'))
    )
    op.create_table('flashcard_decks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('builtin', sa.String(length=40), nullable=True),
    sa.Column('blueprint', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('published', 'retired')", name=op.f('ck_flashcard_decks_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_flashcard_decks_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flashcard_decks'))
    )
    with op.batch_alter_table('flashcard_decks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flashcard_decks_slug'), ['slug'], unique=True)

    op.create_table('missed_questions',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('due_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('right', sa.Integer(), nullable=False),
    sa.Column('misses', sa.Integer(), nullable=False),
    sa.Column('cleared', sa.Boolean(), nullable=False),
    sa.Column('last_answered_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_missed_questions_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_missed_questions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'question_id', name=op.f('pk_missed_questions'))
    )
    with op.batch_alter_table('missed_questions', schema=None) as batch_op:
        batch_op.create_index('ix_missed_questions_user_due', ['user_id', 'cleared', 'due_at'], unique=False)

    op.create_table('flashcards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deck_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('front', sa.Text(), nullable=False),
    sa.Column('back', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['deck_id'], ['flashcard_decks.id'], name=op.f('fk_flashcards_deck_id_flashcard_decks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flashcards')),
    sa.UniqueConstraint('deck_id', 'key', name=op.f('uq_flashcards_deck_id'))
    )
    with op.batch_alter_table('flashcards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flashcards_deck_id'), ['deck_id'], unique=False)

    op.create_table('flashcard_progress',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('deck_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('due_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.Column('introduced_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_reviewed_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['flashcards.id'], name=op.f('fk_flashcard_progress_card_id_flashcards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deck_id'], ['flashcard_decks.id'], name=op.f('fk_flashcard_progress_deck_id_flashcard_decks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flashcard_progress_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'card_id', name=op.f('pk_flashcard_progress'))
    )
    with op.batch_alter_table('flashcard_progress', schema=None) as batch_op:
        batch_op.create_index('ix_flashcard_progress_user_deck_due', ['user_id', 'deck_id', 'due_at'], unique=False)

    op.create_table('flashcard_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_before', trainer.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('rating BETWEEN 1 AND 4', name=op.f('ck_flashcard_reviews_rating')),
    sa.ForeignKeyConstraint(['card_id'], ['flashcards.id'], name=op.f('fk_flashcard_reviews_card_id_flashcards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flashcard_reviews_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flashcard_reviews'))
    )
    with op.batch_alter_table('flashcard_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flashcard_reviews_card_id'), ['card_id'], unique=False)
        batch_op.create_index('ix_flashcard_reviews_user_reviewed', ['user_id', 'reviewed_at'], unique=False)

    op.create_table('mastery_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('codes', sa.JSON(), nullable=False),
    sa.Column('score', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('occurred_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempt_item_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.CheckConstraint("source IN ('quiz', 'module_check', 'mock_exam', 'practice', 'flashcard', 'scenario')", name=op.f('ck_mastery_evidence_source')),
    sa.ForeignKeyConstraint(['attempt_item_id'], ['attempt_items.id'], name=op.f('fk_mastery_evidence_attempt_item_id_attempt_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mastery_evidence_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mastery_evidence'))
    )
    with op.batch_alter_table('mastery_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mastery_evidence_attempt_item_id'), ['attempt_item_id'], unique=False)
        batch_op.create_index('ix_mastery_evidence_user_occurred', ['user_id', 'occurred_at'], unique=False)

    # A native ADD COLUMN: rebuilding attempt_items (batch mode) is not needed for it.
    op.add_column('attempt_items', sa.Column('scored', sa.Boolean(), server_default=sa.true(), nullable=False))
    # Mock exams and practice sessions are attempts of their own kinds.
    _attempt_kinds(OLD_KINDS, NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM attempts WHERE kind IN ('mock_exam', 'practice')")
    _attempt_kinds(NEW_KINDS, OLD_KINDS)
    with op.batch_alter_table('mastery_evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_mastery_evidence_user_occurred')
        batch_op.drop_index(batch_op.f('ix_mastery_evidence_attempt_item_id'))

    op.drop_table('mastery_evidence')
    with op.batch_alter_table('flashcard_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_flashcard_reviews_user_reviewed')
        batch_op.drop_index(batch_op.f('ix_flashcard_reviews_card_id'))

    op.drop_table('flashcard_reviews')
    with op.batch_alter_table('flashcard_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_flashcard_progress_user_deck_due')

    op.drop_table('flashcard_progress')
    with op.batch_alter_table('flashcards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flashcards_deck_id'))

    op.drop_table('flashcards')
    with op.batch_alter_table('missed_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_missed_questions_user_due')

    op.drop_table('missed_questions')
    with op.batch_alter_table('flashcard_decks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flashcard_decks_slug'))

    op.drop_table('flashcard_decks')
    op.drop_table('exam_goals')
    op.drop_table('area_mastery')
    # last, once nothing refers to attempt_items any more
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_column('scored')
