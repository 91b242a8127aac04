"""What the browser tests need besides the test extras: the system Chromium, driven by Playwright."""

from __future__ import annotations

import importlib.util
import os

CHROMIUM = "/usr/bin/chromium"


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, as one line saying how to fix it, or None when they can."""
    for package, name in (("playwright", "playwright"), ("axe_playwright_python", "axe-playwright-python")):
        if importlib.util.find_spec(package) is None:
            return f"the {name} package is missing: `make test` installs it with the test extras"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"no Chromium at {CHROMIUM}: install it with `sudo apt-get install chromium` "
                "(Debian, Ubuntu) and run `make test` again")
    return None
