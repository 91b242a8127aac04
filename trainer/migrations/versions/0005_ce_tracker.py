"""continuing-education tracker: credentials, the append-only CE record's new columns,
evidence files, certificates with verification codes, calendar feeds and sharing

Revision ID: 0005
Revises: 0004
"""
import secrets

from alembic import op
import sqlalchemy as sa

import trainer.models.base


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def upgrade():
    op.create_table('ce_calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', trainer.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_ce_calendar_feeds_token_hash'))
    )
    with op.batch_alter_table('ce_calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_calendar_feeds_user_id'), ['user_id'], unique=False)

    op.create_table('ce_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('rule_set', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('created_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', trainer.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_credentials_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_credentials'))
    )
    with op.batch_alter_table('ce_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_credentials_user_id'), ['user_id'], unique=False)

    op.create_table('ce_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('mimetype', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_evidence_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_ce_evidence_stored_name'))
    )
    with op.batch_alter_table('ce_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_evidence_user_id'), ['user_id'], unique=False)

    op.create_table('ce_sharing',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('with_instructors', sa.Boolean(), nullable=False),
    sa.Column('updated_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_sharing_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_ce_sharing'))
    )
    op.create_table('ce_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('learner_name', sa.String(length=120), nullable=False),
    sa.Column('issued_at', trainer.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', trainer.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['credit_id'], ['ce_credits.id'], name=op.f('fk_ce_certificates_credit_id_ce_credits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_ce_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_certificates_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_ce_certificates_code')),
    sa.UniqueConstraint('credit_id', name=op.f('uq_ce_certificates_credit_id'))
    )
    with op.batch_alter_table('ce_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_certificates_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('ce_credits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='other', nullable=False))
        batch_op.add_column(sa.Column('audience', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('format', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('tags', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('evidence_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_ce_credits_corrects_id'), ['corrects_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_ce_credits_evidence_id_ce_evidence'), 'ce_evidence', ['evidence_id'], ['id'], ondelete='RESTRICT')
        # Imports from CPE Monitor are a third source; the kind says how rules count a row.
        batch_op.drop_constraint(op.f('ck_ce_credits_source'), type_='check')
        batch_op.create_check_constraint('source', "source IN ('course', 'external', 'import')")
        batch_op.create_check_constraint('kind', "kind IN ('acpe', 'college', 'in_service', 'other')")

    _describe_existing_credits()


def _describe_existing_credits():
    """Completions recorded before this revision: the kind, audience and format follow from
    the UAN they were awarded with, and each gets its certificate and verification code."""
    bind = op.get_bind()
    credits = sa.table('ce_credits', sa.column('id'), sa.column('user_id'), sa.column('uan'),
                       sa.column('source'), sa.column('kind'), sa.column('audience'), sa.column('format'))
    users = sa.table('users', sa.column('id'), sa.column('name'))
    certificates = sa.table('ce_certificates', sa.column('credit_id'), sa.column('user_id'), sa.column('code'),
                            sa.column('learner_name'), sa.column('issued_at', trainer.models.base.UTCDateTime()),
                            sa.column('revoke_reason'))
    from trainer.models.base import utcnow

    rows = bind.execute(
        sa.select(credits.c.id, credits.c.user_id, credits.c.uan, credits.c.source, users.c.name)
        .join(users, users.c.id == credits.c.user_id)
    ).all()
    for row in rows:
        parts = (row.uan or '').split('-')
        if len(parts) == 6 and len(parts[4]) == 3:
            bind.execute(credits.update().where(credits.c.id == row.id).values(
                kind='acpe', audience=parts[5], format=parts[4][0]))
        if row.source == 'course':
            code = ''.join(secrets.choice(CODE_ALPHABET) for _ in range(16))
            bind.execute(certificates.insert().values(
                credit_id=row.id, user_id=row.user_id, code='-'.join(code[i:i + 4] for i in range(0, 16, 4)),
                learner_name=row.name, issued_at=utcnow(), revoke_reason=''))


def downgrade():
    with op.batch_alter_table('ce_credits', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_ce_credits_kind'), type_='check')
        batch_op.drop_constraint(op.f('ck_ce_credits_source'), type_='check')
        batch_op.create_check_constraint('source', "source IN ('course', 'external')")
        batch_op.drop_constraint(batch_op.f('fk_ce_credits_evidence_id_ce_evidence'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_ce_credits_corrects_id'))
        batch_op.drop_column('withdrawn')
        batch_op.drop_column('evidence_id')
        batch_op.drop_column('note')
        batch_op.drop_column('tags')
        batch_op.drop_column('format')
        batch_op.drop_column('audience')
        batch_op.drop_column('kind')

    with op.batch_alter_table('ce_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_certificates_user_id'))

    op.drop_table('ce_certificates')
    op.drop_table('ce_sharing')
    with op.batch_alter_table('ce_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_evidence_user_id'))

    op.drop_table('ce_evidence')
    with op.batch_alter_table('ce_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_credentials_user_id'))

    op.drop_table('ce_credentials')
    with op.batch_alter_table('ce_calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_calendar_feeds_user_id'))

    op.drop_table('ce_calendar_feeds')
