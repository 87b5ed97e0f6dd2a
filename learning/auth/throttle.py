"""Failed log-ins, counted so that guessing is slow and no one can lock an owner out.

Only failures are counted (a wrong password for an account, or for an address that has none),
in the store Flask-Limiter uses (memory, or Redis shared by every app server), three ways:

- per client address (``LOGIN_RATE_LIMIT``): an address that keeps failing waits, whatever
  account it tries and even with the right password;
- per account (``ACCOUNT_RATE_LIMIT``): an account that many addresses fail for is under attack.
  While it is, an address that has already failed for it waits, and one that has not may still
  try. So the owner, on a device that has not been guessing, always gets in with the right
  password, and an attacker spread over many addresses gets one guess per address per window;
- per account and address: whether this address "has already failed for it".
"""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from ..extensions import client_ip, limiter
from ..models import User


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def check(email: str) -> None:
    """Refuse (429) an attempt that must wait, before its password costs a hash."""
    if not limiter.enabled:
        return
    strategy, address, account = limiter.limiter, client_ip(), User.normalise_email(email)
    waits = [item for item in _limits("LOGIN_RATE_LIMIT")
             if not strategy.test(item, "login-address", address)]
    for item in _limits("ACCOUNT_RATE_LIMIT"):
        if not strategy.test(item, "login-account", account) and (
            strategy.get_window_stats(item, "login-account-address", account, address).remaining
            < item.amount
        ):
            waits.append(item)
    if waits:
        raise TooManyRequests(retry_after=max(item.get_expiry() for item in waits))


def record_failure(email: str) -> None:
    if not limiter.enabled:
        return
    strategy, address, account = limiter.limiter, client_ip(), User.normalise_email(email)
    for item in _limits("LOGIN_RATE_LIMIT"):
        strategy.hit(item, "login-address", address)
    for item in _limits("ACCOUNT_RATE_LIMIT"):
        strategy.hit(item, "login-account", account)
        strategy.hit(item, "login-account-address", account, address)
