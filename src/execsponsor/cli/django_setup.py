"""Start Django once, inside a command, so `esp --help` stays fast."""

from __future__ import annotations

import os

_ready = False


def setup_django() -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")
    import django

    django.setup()
    _ready = True
