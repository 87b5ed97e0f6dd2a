"""The learning platform: ``create_app`` builds it; nothing happens at import time."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .extensions import csrf, db, limiter, login_manager, migrate
from .paths import app_folder, local_folder


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment; ``test_config`` overrides it in tests."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or local_folder("instance"),
        template_folder=app_folder("templates"),
        static_folder=app_folder("static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config_module.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    logging.basicConfig(level=logging.INFO)
    app.jinja_env.add_extension("jinja2.ext.do")

    from .page_cache import AnonymousPageCache

    app.wsgi_app = AnonymousPageCache(app, app.wsgi_app)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from . import cli, compression, errors, i18n, identity, security, static_files, urls

    compression.init_app(app)  # first: its after_request then runs last, on the final body
    _init_extensions(app)
    urls.init_app(app)
    _register_blueprints(app)

    i18n.init_app(app)
    identity.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    from .instructor import seed

    seed.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (the models must be known to migrations)
    from .auth import sessions

    # A database server may drop idle connections, so each is tested as it leaves the pool;
    # an SQLite file has no connection to lose, and the test would cost a query per request.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {
        "pool_pre_ping": not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")})
    db.init_app(app)
    migrate.init_app(app, db, directory=app_folder("migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(sessions.load_user)


def _register_blueprints(app: Flask) -> None:
    from .admin.routes import bp as admin_bp
    from .auth.routes import bp as auth_bp
    from .certificates.routes import bp as certificates_bp
    from .dashboard.routes import bp as dashboard_bp
    from .discussion.routes import bp as discussion_bp
    from .instructor.routes import bp as instructor_bp
    from .learn.routes import bp as learn_bp
    from .main.routes import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(discussion_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(instructor_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(admin_bp)
