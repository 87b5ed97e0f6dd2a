"""Configuration comes from the environment and fails closed."""

from __future__ import annotations

import pytest

from learning.config import ConfigError, from_environment

from .conftest import make_app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environment(str(tmp_path))


@pytest.mark.parametrize("value", [None, "learn.example.org", "ftp://learn.example.org",
                                   "https://learn.example.org/?x=1"])
def test_production_refuses_to_start_without_a_public_address(monkeypatch, tmp_path, value):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    if value is None:
        monkeypatch.delenv("PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("PUBLIC_URL", value)
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        from_environment(str(tmp_path))


def test_only_the_public_address_and_the_listed_hosts_are_trusted_in_production(monkeypatch,
                                                                                tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("PUBLIC_URL", "https://learn.example.org/")
    monkeypatch.setenv("TRUSTED_HOSTS", "app-1.internal, app-2.internal")
    config = from_environment(str(tmp_path))
    assert config["PUBLIC_URL"] == "https://learn.example.org"
    assert config["TRUSTED_HOSTS"] == ["learn.example.org", "app-1.internal", "app-2.internal"]


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("PUBLIC_URL", "https://learn.example.org")
    config = from_environment(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]


def test_development_generates_a_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = from_environment(str(tmp_path))["SECRET_KEY"]
    assert len(first) == 64
    assert from_environment(str(tmp_path))["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_and_rate_limit_storage_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db/learning")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    config = from_environment(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/learning"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_sqlite_in_the_instance_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = from_environment(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/learning.db"


def test_an_unknown_environment_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigError):
        from_environment(str(tmp_path))


def test_connections_to_a_database_server_are_tested_before_use_but_not_to_an_sqlite_file():
    server = make_app("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    sqlite_file = make_app("sqlite://")
    assert server.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
    assert sqlite_file.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": False}


def test_a_setting_that_is_not_a_number_is_refused_by_name(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigError, match="MAIL_PORT must be a number, not 'twenty-five'"):
        from_environment(str(tmp_path))
