"""Take the README's screenshots from a running demo: each role's home on a laptop and a 390 px phone, and the
main pages. Run against a demo you generated and serve (nothing here writes data):

    esp demo --no-serve && esp serve &          # the default demo, on http://127.0.0.1:8000
    .venv/bin/python scripts/screenshots.py [--url http://127.0.0.1:8000] [--out docs/screenshots]

The users are the demo's own (the sign-in table `esp demo` prints), read from the database the server uses.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# file name: (role, path, whether a phone shot is taken too)
HOMES = {
    "home-owner": ("program_owner", "/"),
    "home-sponsor": ("executive", "/"),
    "home-ae": ("account_executive", "/"),
    "home-csm": ("csm", "/"),
    "home-viewer": ("viewer", "/"),
}
PAGES = {
    "accounts": ("program_owner", "/accounts/"),
    "program": ("program_owner", "/program/"),
    "dashboard": ("program_owner", "/program/dashboard/"),
    "impact": ("program_owner", "/program/impact/"),
    "playbooks": ("program_owner", "/playbooks/"),
}


def _demo_users() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")
    import django

    django.setup()
    from execsponsor.demo.generator import planted_effects

    truth = planted_effects()
    if not truth:
        raise SystemExit("No demo company in this database: run `esp demo --no-serve` first.")
    return truth["sign_in"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    users = _demo_users()
    from playwright.sync_api import sync_playwright

    from execsponsor.demo.plan import DEMO_PASSWORD

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for role in sorted({role for role, _ in [*HOMES.values(), *PAGES.values()]}):
            for device, viewport in (("", LAPTOP), ("-phone", PHONE)):
                context = browser.new_context(viewport=viewport, is_mobile=bool(device), device_scale_factor=1)
                page = context.new_page()
                page.goto(f"{args.url}/login/")
                page.fill("#id_username", users[role])
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{args.url}/")
                shots = {name: path for name, (who, path) in HOMES.items() if who == role}
                if not device:
                    shots |= {name: path for name, (who, path) in PAGES.items() if who == role}
                for name, path in shots.items():
                    page.goto(f"{args.url}{path}")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(400)  # the charts draw after load
                    target = args.out / f"{name}{device}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}  ({users[role]})")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
