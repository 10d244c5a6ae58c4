"""Factories that make realistic data for tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from execsponsor.customers.models import Account, Contact, Opportunity, QuarterlyRevenue, Segment
from execsponsor.engagements.models import Engagement, EngagementKind
from execsponsor.program.models import Sponsorship, SponsorshipStatus
from execsponsor.users.models import Executive, ExecutiveFunction, ExecutiveLevel, Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@ourco.example")
    role = Role.VIEWER
    password = factory.django.Password(PASSWORD)


class ExecutiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Executive

    user = factory.SubFactory(UserFactory, role=Role.EXECUTIVE, title="Chief Technology Officer")
    function = ExecutiveFunction.CTO
    level = ExecutiveLevel.C_SUITE
    industries = factory.LazyFunction(lambda: ["Technology", "Banking"])
    regions = factory.LazyFunction(lambda: ["North America"])
    languages = factory.LazyFunction(lambda: ["en"])
    time_zone = "America/New_York"


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Faker("company")
    domain = factory.LazyAttribute(lambda a: a.name.lower().replace(" ", "").replace(",", "")[:30] + ".example")
    industry = "Banking"
    segment = Segment.ENTERPRISE
    region = "North America"
    country = "United States"
    arr = Decimal("480000.00")
    renewal_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=200))
    strategic_value = 70


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    title = "Chief Information Officer"
    email = factory.LazyAttribute(lambda c: f"{c.first_name}.{c.last_name}@{c.account.domain}".lower())


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    account = factory.SubFactory(AccountFactory)
    name = factory.LazyAttribute(lambda o: f"{o.account.name} - Expansion")
    stage = "Proposal/Price Quote"
    amount = Decimal("120000")
    close_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class QuarterlyRevenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyRevenue

    account = factory.SubFactory(AccountFactory)
    year = 2026
    quarter = 1
    revenue = Decimal("120000")


class SponsorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsorship

    account = factory.SubFactory(AccountFactory)
    executive = factory.SubFactory(ExecutiveFactory)
    status = SponsorshipStatus.ACTIVE


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    account = factory.SubFactory(AccountFactory)
    kind = EngagementKind.MEETING
    subject = "Quarterly strategy review"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    discussed_strategy = True
    next_step_agreed = True


class HealthSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "insights.HealthSnapshot"

    account = factory.SubFactory(AccountFactory)
    taken_on = factory.LazyFunction(timezone.localdate)
    score = 64
    band = "yellow"
