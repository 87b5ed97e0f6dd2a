"""Access rules as small view decorators, stacked on the views they guard."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def instructor_required(view):
    """Instructors and admins only; anyone else gets 403 (anonymous users log in first)."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def admin_required(view):
    """Admins only; anyone else gets 403 (anonymous users log in first)."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return guarded
