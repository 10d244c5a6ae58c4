"""The briefing pack: one page a sponsor reads before meeting an account, as a page and a PDF.

Everything on it is read as the person who asks for it: the account must be in `visible_accounts(user)`,
and a success story from a comparable account the user may not see is told without its name or any
detail that identifies it ("a Manufacturing customer in the Enterprise segment").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from execsponsor.access.visibility import visible_accounts
from execsponsor.common.pdf import pdf_filename, render_pdf
from execsponsor.common.svg_charts import Series, line_chart
from execsponsor.customers.models import (
    Account,
    Advocate,
    Contact,
    ContactStatus,
    Influence,
    Opportunity,
    Outcome,
    OutcomeStatus,
    Seniority,
)
from execsponsor.customers.selectors_outcomes import account_advocates
from execsponsor.engagements.models import Commitment, CommitmentStatus, Engagement
from execsponsor.insights import selectors_health as selectors
from execsponsor.insights.relationships import contact_strengths
from execsponsor.program.models import LIVE_STATUSES, AlignmentChecklist, Sponsorship
from execsponsor.users.models import User

# What fits one A4 page beside everything else.
KEY_CONTACTS = 8
COMMITMENTS = 6
OPPORTUNITIES = 5
OUTCOMES_OPEN = 5
OUTCOMES_DELIVERED = 4
SUCCESS_STORIES = 3
ADVOCATES = 4

# Words of a company name that say what kind of company it is, not which one: left in an anonymised story.
GENERIC_NAME_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "for",
        "group",
        "bank",
        "banking",
        "systems",
        "system",
        "health",
        "healthcare",
        "energy",
        "retail",
        "holdings",
        "holding",
        "company",
        "corporation",
        "corp",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "ag",
        "gmbh",
        "kk",
        "k.k.",
        "sa",
        "s.a.",
        "nv",
        "bv",
        "ab",
        "as",
        "a/s",
        "oy",
        "spa",
        "srl",
        "co",
        "international",
        "global",
        "services",
        "solutions",
        "technologies",
        "technology",
        "partners",
        "industries",
    ]
)


@dataclass(frozen=True)
class KeyContact:
    contact: Contact
    strength: float | None


@dataclass(frozen=True)
class CommitmentLine:
    commitment: Commitment
    overdue: bool


@dataclass(frozen=True)
class SuccessStory:
    """A delivered success story of a comparable account; `who` names it only when the reader may see it."""

    who: str
    named: bool
    title: str
    measure: str
    baseline: str
    target: str
    evidence: str
    delivered_on: dt.date | None
    same: str  # "industry and segment", "industry" or "segment"


@dataclass(frozen=True)
class BriefingPack:
    account: Account
    prepared_for: User
    prepared_on: dt.date
    health: selectors.HealthTrend
    health_chart_svg: str
    sponsorships: list[Sponsorship]
    next_meeting: Engagement | None
    key_contacts: list[KeyContact]
    contacts_total: int
    commitments: list[CommitmentLine]
    opportunities: list[Opportunity]
    ae_promises: list[str]
    outcomes_open: list[Outcome]
    outcomes_delivered: list[Outcome]
    success_stories: list[SuccessStory]
    advocates: list[Advocate]
    notes: list[str] = field(default_factory=list)

    @property
    def open_pipeline(self):
        return sum((o.amount or 0 for o in self.opportunities), 0)


def briefing_pack(*, user: User, account_id: int, today: dt.date | None = None) -> BriefingPack:
    """The pack for `account_id` as `user` may see it. Raises Account.DoesNotExist when they may not."""
    today = today or timezone.localdate()
    account = visible_accounts(user).select_related("owner", "csm").get(pk=account_id)
    health = selectors.account_health(account)
    sponsorships = list(
        account.sponsorships.filter(status__in=LIVE_STATUSES).select_related("executive__user").order_by("pk")
    )
    contacts, total = _key_contacts(account, today=today)
    outcomes = list(Outcome.objects.filter(account=account).order_by("expected_by", "pk"))
    return BriefingPack(
        account=account,
        prepared_for=user,
        prepared_on=today,
        health=health,
        health_chart_svg=_health_chart(health),
        sponsorships=sponsorships,
        next_meeting=next_meeting(account),
        key_contacts=contacts,
        contacts_total=total,
        commitments=_commitments(account, today=today),
        opportunities=list(account.opportunities.filter(is_closed=False).order_by("close_date", "pk")[:OPPORTUNITIES]),
        ae_promises=_ae_promises(sponsorships),
        outcomes_open=[o for o in outcomes if o.status in (OutcomeStatus.EXPECTED, OutcomeStatus.IN_PROGRESS)][
            :OUTCOMES_OPEN
        ],
        outcomes_delivered=sorted(
            (o for o in outcomes if o.status == OutcomeStatus.DELIVERED),
            key=lambda o: o.delivered_on or dt.date.min,
            reverse=True,
        )[:OUTCOMES_DELIVERED],
        success_stories=success_stories(user=user, account=account),
        advocates=account_advocates(account)[:ADVOCATES],
    )


def next_meeting(account: Account) -> Engagement | None:
    return (
        Engagement.objects.filter(account=account, occurred_at__gt=timezone.now())
        .select_related("sponsorship__executive__user")
        .order_by("occurred_at", "pk")
        .first()
    )


def _health_chart(health: selectors.HealthTrend) -> str:
    if len(health.history) < 3:
        return ""
    # line_chart labels every ceil(n/8)-th point and the last (short: it sits at the right edge); the one just
    # before the last would overlap it.
    n = len(health.history)
    every = -(-n // 8)
    labels = [
        "now" if i == n - 1 else day.strftime("%-d %b") if i % every == 0 and n - 1 - i >= every else ""
        for i, (day, _) in enumerate(health.history)
    ]
    return line_chart(labels, [Series("Health", [score for _, score in health.history])], width=300, height=110)


SENIORITY_RANK = {value: rank for rank, value in enumerate(Seniority.values)}
INFLUENCE_RANK = {value: rank for rank, value in enumerate(Influence.values)}


def _key_contacts(account: Account, *, today: dt.date) -> tuple[list[KeyContact], int]:
    """The people who matter most, most senior and influential first, with our relationship strength."""
    contacts = list(account.contacts.exclude(status=ContactStatus.LEFT).select_related("reports_to", "advocacy"))
    contacts.sort(
        key=lambda c: (
            SENIORITY_RANK.get(c.seniority, len(SENIORITY_RANK)),
            INFLUENCE_RANK.get(c.influence, len(INFLUENCE_RANK)),
            c.last_name,
            c.pk,
        )
    )
    shown = contacts[:KEY_CONTACTS]
    strengths = contact_strengths(shown, today=today)
    return [KeyContact(c, strengths.get(c.pk)) for c in shown], len(contacts)


def _commitments(account: Account, *, today: dt.date) -> list[CommitmentLine]:
    rows = (
        Commitment.objects.filter(engagement__account=account)
        .select_related("engagement", "owner")
        .order_by("-engagement__occurred_at", "-pk")[:COMMITMENTS]
    )
    return [
        CommitmentLine(c, c.status == CommitmentStatus.OPEN and c.due_on is not None and c.due_on < today) for c in rows
    ]


def _ae_promises(sponsorships: list[Sponsorship]) -> list[str]:
    checklists = AlignmentChecklist.objects.filter(sponsorship__in=sponsorships).exclude(ae_promises="")
    return [checklist.ae_promises for checklist in checklists]


def _comparable(account: Account) -> Q | None:
    conditions = []
    if account.industry:
        conditions.append(Q(account__industry=account.industry))
    if account.segment:
        conditions.append(Q(account__segment=account.segment))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def success_stories(*, user: User, account: Account, limit: int = SUCCESS_STORIES) -> list[SuccessStory]:
    """Delivered success stories of other accounts in the same industry or segment: both alike first, newest
    first. One the user may not see is anonymised: no name, no evidence, its name and people struck from the text."""
    comparable = _comparable(account)
    if comparable is None:
        return []
    stories = list(
        Outcome.objects.filter(comparable, is_success_story=True, status=OutcomeStatus.DELIVERED)
        .exclude(account=account)
        .select_related("account")
        .order_by("-delivered_on", "-pk")[: limit * 10]
    )

    def likeness(outcome: Outcome) -> int:
        return (outcome.account.industry == account.industry and bool(account.industry)) + (
            outcome.account.segment == account.segment and bool(account.segment)
        )

    stories.sort(key=lambda o: -likeness(o))  # stable: newest first within the same likeness
    stories = stories[:limit]
    visible = set(visible_accounts(user).filter(pk__in=[o.account_id for o in stories]).values_list("pk", flat=True))
    return [_story(outcome, account=account, named=outcome.account_id in visible) for outcome in stories]


def _story(outcome: Outcome, *, account: Account, named: bool) -> SuccessStory:
    other = outcome.account
    same_industry = bool(account.industry) and other.industry == account.industry
    same_segment = bool(account.segment) and other.segment == account.segment
    same = "industry and segment" if same_industry and same_segment else "industry" if same_industry else "segment"
    if named:
        return SuccessStory(
            other.name, True, outcome.title, outcome.measure, outcome.baseline, outcome.target, outcome.evidence,
            outcome.delivered_on, same,
        )  # fmt: skip
    strike = _identifying_words(other)
    return SuccessStory(
        who=anonymous_description(other),
        named=False,
        title=_struck(outcome.title, strike),
        measure=_struck(outcome.measure, strike),
        baseline=_struck(outcome.baseline, strike),
        target=_struck(outcome.target, strike),
        evidence="",
        delivered_on=outcome.delivered_on.replace(day=1) if outcome.delivered_on else None,
        same=same,
    )


def anonymous_description(account: Account) -> str:
    """'a Manufacturing customer in the Enterprise segment': what kind of account, never which one."""
    industry = f"{account.industry} " if account.industry else ""
    segment = f" in the {account.get_segment_display()} segment" if account.segment else ""
    article = "an" if (industry or "customer")[0].lower() in "aeiou" else "a"
    return f"{article} {industry}customer{segment}"


def _identifying_words(account: Account) -> list[str]:
    """The account's name, domain and the distinctive words of its name, and its people's names."""
    words = {account.name}
    if account.domain:
        words.add(account.domain)
        words.add(account.domain.split(".")[0])
    for part in re.split(r"[\s,]+", account.name):
        bare = part.strip(".()&-")
        distinctive = len(bare) >= 3 and bare.casefold() not in GENERIC_NAME_WORDS
        if distinctive or (bare and not bare.isascii()):  # a CJK name has no spaces: strike it whole
            words.add(bare)
    for first, last in Contact.objects.filter(account=account).values_list("first_name", "last_name"):
        for name in (f"{first} {last}".strip(), last):
            if len(name) >= 3:
                words.add(name)
    return sorted(words, key=len, reverse=True)


def _struck(text: str, words: list[str]) -> str:
    for word in words:
        text = re.sub(re.escape(word), "the customer", text, flags=re.IGNORECASE)
    return text


def briefing_pdf_bytes(*, user: User, account_id: int) -> tuple[bytes, str]:
    """The pack as PDF bytes and a file name, as `user` may see it (the meeting reminder attaches it)."""
    pack = briefing_pack(user=user, account_id=account_id)
    pdf = render_pdf("insights/briefing_pdf.html", {"pack": pack, "account": pack.account})
    # An ASCII name (a header carries it); a name slugify cannot spell in ASCII gives the account's id instead.
    name = slugify(pack.account.name) or f"account-{pack.account.pk}"
    return pdf, pdf_filename("briefing", name, pack.prepared_on.isoformat())
