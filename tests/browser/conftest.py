"""Playwright driving Debian's Chromium against the live server (tests/conftest.py).

Playwright cannot download browsers here, so it launches /usr/bin/chromium. Without it the
browser tests skip locally, but never under CI=true: there they fail, so a green CI run always
includes them.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true but no Chromium at {CHROMIUM}: browser tests must run")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (make test installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
