"""The build hook that makes the wheel self-contained (the rest of the build is in pyproject.toml).

Authors and developers keep ``templates/``, ``static/`` and ``migrations/`` at the top of the
checkout, outside the package, and the compiled catalogues and the JSON-LD contexts (from npm)
are not in git. A wheel that left them out would serve no page, French and Spanish silently in
English, or no embedded proof; so the build copies the folders and the contexts into the
package and compiles the catalogues there, and ``learning.paths`` finds the packaged copies
once installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
FOLDERS = ("templates", "static", "migrations")
# The JSON-LD contexts `make setup` installs from npm (not in git): the embedded proofs need them.
CONTEXTS = Path("learning", "certificates", "contexts", "node_modules")


class BuildPyWithAppFiles(build_py):
    """build_py, then the top-level folders and the compiled catalogues into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        package = Path(self.build_lib) / "learning"
        for name in FOLDERS:
            shutil.rmtree(package / name, ignore_errors=True)  # no file deleted since a last build
            shutil.copytree(HERE / name, package / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if not (HERE / CONTEXTS).is_dir():
            raise SystemExit(f"{CONTEXTS} is missing: run `make setup` before building.")
        shutil.rmtree(Path(self.build_lib) / CONTEXTS, ignore_errors=True)
        shutil.copytree(HERE / CONTEXTS, Path(self.build_lib) / CONTEXTS)
        for po in (HERE / "learning" / "translations").glob("*/LC_MESSAGES/messages.po"):
            mo = package / po.relative_to(HERE / "learning").with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))  # as `pybabel compile`: fuzzy entries left out


setup(cmdclass={"build_py": BuildPyWithAppFiles})
