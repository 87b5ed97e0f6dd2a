"""Flask extensions, created unbound and bound to an app in ``create_app``."""

from __future__ import annotations

import sqlite3
from functools import cache

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine, MetaData, bindparam, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints, so migrations can alter them on every database (SQLite included).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def client_ip() -> str:
    """The client address (ProxyFix has already applied X-Forwarded-For when configured)."""
    return get_remote_address() or request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record) -> None:
    """SQLite files in write-ahead-log mode: readers never wait for a writer, and a commit
    syncs the log, not the whole database (still safe from corruption on a crash). Foreign
    keys enforced, as on PostgreSQL: SQLite checks them, and applies their ON DELETE rules, only
    on connections that ask (migrations/env.py turns them off while tables are rebuilt)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def dialect_insert():
    """INSERT with ON CONFLICT clauses, for the database in use (SQLite or PostgreSQL)."""
    dialect = db.session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


@cache  # built once per dialect, model and columns: enrolling runs on every quiz submission
def _insert_if_absent_statement(insert, model, columns: tuple[str, ...]):
    return (insert(model).values({name: bindparam(name) for name in columns})
            .on_conflict_do_nothing().returning(model.id))


def insert_if_absent(model, **values) -> int | None:
    """Insert a row unless one with the same unique key exists: the new row's id, or None.

    The database decides, so two requests or two app servers racing still leave one row.
    """
    stmt = _insert_if_absent_statement(dialect_insert(), model, tuple(values))
    return db.session.execute(stmt, values).scalar()


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_ip)
babel = Babel()
