"""One mid-sized demo company, generated once for the tests/demo package and removed after its last test.

The package's tests run one after another on one test process (the scheduler in tests/conftest.py), so
the company is generated once per run; each test still runs in a transaction that is rolled back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from execsponsor.demo.generator import generate_demo
from execsponsor.demo.storage import wipe_company

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="package")
def demo_company(django_db_setup, django_db_blocker):
    """A 400-account demo company (seed 7) committed to the test database; its planted truth is returned."""
    with django_db_blocker.unblock():
        truth = generate_demo(accounts=400, seed=7, as_of=AS_OF)
        yield truth
        with transaction.atomic():
            wipe_company()
            from execsponsor.playbooks.models import Playbook
            from execsponsor.program.models import ProgramSetting

            ProgramSetting.objects.filter(key="demo_truth").delete()
            Playbook.objects.all().delete()  # the built-ins the demo seeded; tests seed their own
