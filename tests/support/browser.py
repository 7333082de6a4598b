"""Driving Debian's headless Chromium in the browser tests: where it is, how long a page may
take, the skip on a developer's machine without it, the page checks every console page passes,
and starting it (never a downloaded browser)."""

import os
import shutil
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

CHROMIUM = "/usr/bin/chromium"
SEEN = 10_000
"""Milliseconds a browser waits for something to show."""
needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run installs it)")
"""Skipped on a developer's machine without the browser; never in CI, where a missing browser
fails the tests instead of hiding them."""

NO_SIDEWAYS_SCROLL = ("() => document.documentElement.scrollWidth"
                      " <= document.documentElement.clientWidth")
UNLABELLED = ("() => [...document.querySelectorAll('input, select, textarea')]"
              ".filter(e => e.type !== 'hidden' && e.labels.length === 0)"
              ".map(e => e.name)")


async def chromium(stack: AsyncExitStack) -> Browser:
    """Debian's Chromium, headless, closed with ``stack``."""
    playwright = await stack.enter_async_context(async_playwright())
    browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=["--no-sandbox"])
    stack.push_async_callback(browser.close)
    return browser
