"""``python -m bot`` is the same program as ``youthbot``."""

from bot.cli import main

main()
