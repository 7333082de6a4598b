"""Copies content/ into the built package, so an installed ``youthbot`` finds its pages.

content/ stays at the top of the checkout (where editors and the editable install read it);
pyproject.toml's package-data cannot reach a folder outside a package, so the build copies it
to ``bot/_content`` inside the wheel, where ``bot.paths`` looks first.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithContent(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "bot" / "_content"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / "content", target, ignore=shutil.ignore_patterns("*~", ".*"))


setup(cmdclass={"build_py": BuildWithContent})
