"""Test settings: the project's settings with ESP_TESTING on (fast hashing, immediate jobs)."""

import os
import tempfile

os.environ.setdefault("ESP_TESTING", "true")
os.environ.setdefault("ESP_DATA_DIR", tempfile.mkdtemp(prefix="esp-test-"))

from execsponsor.settings import *  # noqa: E402,F403

(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)  # noqa: F405
