"""Where the project's data lives, found from the installed package, not the working directory."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
BUNDLED_CONTENT_DIR = PACKAGE_DIR / "_content"
"""Where a built wheel carries content/ (setup.py copies it there); absent in a checkout."""
CONTENT_DIR = BUNDLED_CONTENT_DIR if BUNDLED_CONTENT_DIR.is_dir() else PROJECT_DIR / "content"
LOCALE_DIR = PACKAGE_DIR / "locale"
MIGRATIONS_DIR = PACKAGE_DIR / "storage" / "migrations"
