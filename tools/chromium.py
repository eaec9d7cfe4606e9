"""How this project starts Debian's Chromium (browser tests and Lighthouse).

No browser download works on these machines, so both use the system Chromium, by
default /usr/bin/chromium, or the executable named by the BROWSER_PATH variable.
"""

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("BROWSER_PATH", "/usr/bin/chromium"))
#: No sandbox (containers), no GPU, and none of Chromium's own traffic to Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
