"""Headless Chromium for the web page tests: Debian's chromium and chromium-driver, driven by Selenium.

``chrome()`` skips a test when the browser is not installed, except under CI=true, where a missing
browser fails the run (as a missing Redis does: tests/conftest.py)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("EMPATHY_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("EMPATHY_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).parent / "artifacts"         # screenshots; ignored by git


def require_chromium() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).is_file() or shutil.which(p))]
    if not missing:
        return
    why = f"headless Chromium is needed: {', '.join(missing)} missing (apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; required under CI=true")
    pytest.skip(f"{why} (set CI=true to make this a failure)")


def chrome(width: int = 1280, height: int = 900):
    require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--no-first-run", f"--window-size={width},{height}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def screenshot(driver, name: str) -> Path:
    """The whole page (not only the window) as ARTIFACTS/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    full = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(width, max(height, min(int(full) + 120, 6000)))
    driver.save_screenshot(str(path))
    driver.set_window_size(width, height)
    return path
