"""Where the app's folders are: beside the package in a checkout, inside it once installed.

In git, ``templates/``, ``static/`` and ``migrations/`` sit at the top of the checkout; the
wheel's build (setup.py) copies them into the package. The operator's own folders (the
instance folder, the courses) are never inside the package: an installed app would write into
site-packages, and lose them at the next upgrade.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent


def installed() -> bool:
    """Whether this is an installed wheel, which carries its own templates, not a checkout."""
    return (PACKAGE / "templates").is_dir()


def app_folder(name: str) -> str:
    """``templates``, ``static`` or ``migrations``: the packaged copy, else the checkout's."""
    return str(PACKAGE / name if installed() else CHECKOUT / name)


def local_folder(name: str) -> str:
    """``instance`` or ``courses``: the checkout's, or once installed the working directory's."""
    return str((Path.cwd() if installed() else CHECKOUT) / name)
