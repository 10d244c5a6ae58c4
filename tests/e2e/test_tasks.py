"""Complete a playbook task from the home page, in Chromium."""

import datetime as dt

import pytest

from execsponsor.playbooks import services
from execsponsor.playbooks.models import Playbook, PlaybookStep, Task

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_ae_completes_a_task_from_the_home_page(cast, sign_in, settings):
    settings.ESP_CADENCE_AS_OF = "2026-04-10"
    playbook = Playbook.objects.create(name="Renewal prep", slug="renewal-prep")
    PlaybookStep.objects.create(playbook=playbook, position=1, title="Send the renewal deck", role="ae", offset_days=0)
    PlaybookStep.objects.create(playbook=playbook, position=2, title="Call the champion", role="ae", offset_days=2)
    services.playbook_start(
        by=cast.owner, playbook=playbook, account=cast.owned_account, anchor_date=dt.date(2026, 4, 10)
    )
    page = sign_in("alex.ae", then=None)
    today = page.locator('[data-group="today"]')
    assert "Send the renewal deck" in today.inner_text()
    today.get_by_role("button", name="Mark “Send the renewal deck” done").click()
    page.wait_for_url("**/")
    assert "Done: Send the renewal deck" in page.locator("main").inner_text()
    assert "Send the renewal deck" not in page.locator("#tasks-title").locator("xpath=../..").inner_text()
    assert "Call the champion" in page.locator('[data-group="week"]').inner_text()
    assert Task.objects.get(title="Send the renewal deck").status == Task.Status.DONE
