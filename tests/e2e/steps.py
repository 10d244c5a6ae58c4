"""Steps shared by the browser journeys that start from an empty database."""

ADMIN_PASSWORD = "first-admin-passphrase-2026"


def set_up_the_first_admin(page, base: str, *, first_page: str = "/") -> None:
    """Open `first_page` on an empty install, land on the setup page, and create Ada Lovelace as the admin."""
    page.goto(f"{base}{first_page}")
    page.wait_for_url(f"{base}/setup/")
    page.fill("#id_username", "ada")
    page.fill("#id_first_name", "Ada")
    page.fill("#id_last_name", "Lovelace")
    page.fill("#id_email", "ada@ourco.example")
    page.fill("#id_password1", ADMIN_PASSWORD)
    page.fill("#id_password2", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/people/")
