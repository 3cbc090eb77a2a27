"""Helpers for the tests that open pages in a real headless browser (pytest marker ``browser``).

Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``, ``/usr/bin/chromedriver``),
driven by selenium (the optional extra ``browser``). Without them the tests skip, saying why.
"""

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

#: Flags for a headless Chromium on a machine without a display or network: no sandbox (root),
#: no GPU, and none of the background connections (updates, sync, QUIC) it would try to make.
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1600", "--hide-scrollbars")

#: What every image, table and heading of the page is, read in the page itself.
PAGE_SCRIPT = """
const images = Array.from(document.images).map((img, index) => ({
    index: index, src: img.currentSrc || img.src, alt: img.alt, complete: img.complete,
    naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
    section: (function () {  // the text of the closest h2 before the image
        const all = Array.from(document.querySelectorAll('h2'));
        let found = null;
        for (const h of all) {
            if (h.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING) found = h;
        }
        return found ? found.textContent : null;
    })()}));
const tables = Array.from(document.querySelectorAll('table')).map(t =>
    Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.textContent.trim())));
return {title: document.title, images: images, tables: tables,
        h2: Array.from(document.querySelectorAll('h2')).map(h => h.textContent.trim()),
        text: document.body.innerText, readyState: document.readyState};
"""


def require_browser():
    """Skip the calling test, with the reason, when no headless browser can be driven here.

    With ``SPIKENEURON_REQUIRE_BROWSER=1`` (CI, which installs them) a missing browser, driver
    or selenium fails the test instead: there, a skipped browser test would hide a broken CI.
    """
    give_up = pytest.fail if os.environ.get("SPIKENEURON_REQUIRE_BROWSER") == "1" else pytest.skip
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    if missing:
        give_up(f"no headless Chromium here ({', '.join(missing)} missing: "
                "apt-get install chromium chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        give_up("the browser tests need the browser extra: pip install 'spikeneuron[browser]'")


@contextlib.contextmanager
def chromium(profile):
    """A selenium-driven headless Chromium with a fresh profile in the folder ``profile``."""
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Both paths are given, so selenium never looks for (or downloads) a driver of its own.
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@contextlib.contextmanager
def served(folder):
    """``folder`` served over HTTP on the loopback interface, at a free port; yields the URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the signature of the base class)
        pass


def open_page(driver, url):
    """Load ``url``, wait until it and its images have loaded, and return what PAGE_SCRIPT reads."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(url)
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && "
        "Array.from(document.images).every(img => img.complete)"))
    return driver.execute_script(PAGE_SCRIPT)


def console_errors(driver):
    """The console messages of level SEVERE (errors, failed loads) since the page was opened."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot(driver, path):
    """Save the visible part of the page as PNG to ``path`` and return its pixels (RGB, 0–1)."""
    import matplotlib.image

    assert driver.save_screenshot(str(path)), f"no screenshot written to {path}"
    return matplotlib.image.imread(path)[..., :3]


def assert_looks_like_a_page(pixels, *, min_ink=0.02, min_colours=64):
    """The screenshot shows a rendered page: not blank, not a one-colour error screen.

    ``min_ink``: the fraction of pixels that must differ clearly from the background (the most
    common colour); ``min_colours``: distinct colours a page with text and figures has (an
    error page or a blank one has a handful: anti-aliased text alone gives a few dozen).
    """
    height, width, _ = pixels.shape
    assert height >= 200 and width >= 200, f"screenshot only {width}×{height} pixels"
    quantised = np.round(pixels * 255).astype(np.uint8).reshape(-1, 3)
    colours, counts = np.unique(quantised, axis=0, return_counts=True)
    background = colours[np.argmax(counts)].astype(float) / 255
    ink = np.mean(np.abs(pixels - background).max(axis=-1) > 0.25)
    assert ink >= min_ink, f"only {ink:.1%} of the screenshot differs from its background"
    assert len(colours) >= min_colours, f"only {len(colours)} colours: a blank or error page?"
    return ink, len(colours)
