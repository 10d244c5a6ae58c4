"""The built-in playbooks: templates every install starts with, which the program owner may then edit.

`ensure_built_in_playbooks()` creates the ones that are missing (by slug) and never touches one that exists,
so an owner's edits survive `esp init`, the demo and every later call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from execsponsor.playbooks.models import Playbook, PlaybookStep, StepRole, Trigger


@dataclass(frozen=True)
class StepTemplate:
    title: str
    role: str
    offset_days: int
    instructions: str
    checklist: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaybookTemplate:
    slug: str
    name: str
    trigger: str
    description: str
    steps: tuple[StepTemplate, ...]
    settings: dict = field(default_factory=dict)


SPONSOR, AE, CSM, OWNER = StepRole.SPONSOR, StepRole.AE, StepRole.CSM, StepRole.OWNER

BUILT_IN_PLAYBOOKS: tuple[PlaybookTemplate, ...] = (
    PlaybookTemplate(
        slug="program-launch",
        name="Program launch",
        trigger=Trigger.MANUAL,
        description=(
            "First do no harm: the account teams and sponsors are prepared, and agree what will be said, "
            "before any customer hears of the program."
        ),
        steps=(
            StepTemplate(
                "Brief the executive team on the program",
                OWNER,
                0,
                "Explain why the program exists, which accounts were chosen and how, and what each sponsor is "
                "asked to give (time, cadence, follow-through). Agree how success will be measured.",
                ("Program charter shared", "Selection and matching explained", "Measures of success agreed"),
            ),
            StepTemplate(
                "Walk the account teams through the program",
                OWNER,
                3,
                "Meet the AEs and CSMs of the selected accounts before their sponsors do anything. The sponsor "
                "supports the account team; they never sell and never go around the AE.",
                ("Role charters shared", "Questions and worries collected"),
            ),
            StepTemplate(
                "Agree the message to customers",
                OWNER,
                7,
                "Write the few sentences an AE will use to introduce the sponsor, and what must not be said. "
                "Nothing goes to a customer until the account teams have seen it.",
            ),
            StepTemplate(
                "Schedule the sponsors' enablement",
                OWNER,
                10,
                "Every sponsor completes the briefing on their accounts and on how to run a first meeting before "
                "they are introduced.",
            ),
        ),
    ),
    PlaybookTemplate(
        slug="sponsorship-onboarding",
        name="Sponsorship onboarding",
        trigger=Trigger.SPONSORSHIP_APPROVED,
        description="From an approved sponsorship to a first meeting that counts: alignment first, then a senior "
        "introduction, then the meeting.",
        settings={"within_days": 30},
        steps=(
            StepTemplate(
                "Hold the AE–sponsor alignment meeting",
                AE,
                3,
                "Walk the sponsor through the account before they meet anyone there.",
                (
                    "Account strategy",
                    "What we have promised the customer",
                    "Open opportunities",
                    "The customer's challenges",
                    "Reminder: the sponsor does not sell",
                ),
            ),
            StepTemplate(
                "Prepare for the alignment meeting",
                SPONSOR,
                3,
                "Read the account page and the relationship map; note the questions you want the AE to answer.",
            ),
            StepTemplate(
                "Introduce the sponsor to the customer executive",
                AE,
                10,
                "Ask the most senior person on our side who knows the customer executive to make the introduction "
                "(a short note or a call), using the agreed words. Record who introduced whom.",
            ),
            StepTemplate(
                "Hold the first sponsor meeting",
                SPONSOR,
                21,
                "Listen more than you talk: the customer's strategy, what worries them, what they expect from us. "
                "Agree a next step and log the meeting with its rubric.",
                ("Customer strategy discussed", "Next step agreed", "Engagement logged"),
            ),
            StepTemplate(
                "Record the sponsorship charter",
                CSM,
                28,
                "Write down the objectives, the expectations agreed with the customer executive and the customer's "
                "own commitment.",
            ),
        ),
    ),
    PlaybookTemplate(
        slug="cadence-nudge",
        name="Cadence nudge",
        trigger=Trigger.CADENCE_OVERDUE,
        description="A sponsorship has gone longer than its cadence without an engagement that counts: one nudge "
        "per silent spell, never more.",
        steps=(
            StepTemplate(
                "Book your next conversation",
                SPONSOR,
                2,
                "It has been longer than your agreed cadence since a conversation that counted. A short call with a "
                "real topic is better than a long meeting with none; the AE can suggest one.",
            ),
            StepTemplate(
                "Suggest a reason to meet",
                AE,
                1,
                "Send the sponsor one topic the customer executive would value now (a product decision, an "
                "industry change, an open issue).",
            ),
        ),
    ),
    PlaybookTemplate(
        slug="qbr-preparation",
        name="QBR / EBR preparation",
        trigger=Trigger.QUARTER_START,
        description="At the start of each quarter, the business review with the customer's executives is prepared "
        "by the account team and attended by the sponsor.",
        settings={"within_days": 30},
        steps=(
            StepTemplate(
                "Propose a date for the business review",
                AE,
                5,
                "Agree a date with the customer's executive sponsor and invite our sponsor.",
            ),
            StepTemplate(
                "Gather the outcomes and the figures",
                CSM,
                14,
                "Outcomes delivered since the last review, adoption and support figures, and what is still open.",
                ("Outcomes and evidence", "Adoption figures", "Open issues"),
            ),
            StepTemplate(
                "Review the deck with the sponsor",
                AE,
                21,
                "Thirty minutes: the story of the quarter, the asks we will make, the questions we expect.",
            ),
            StepTemplate(
                "Attend the review and log it",
                SPONSOR,
                30,
                "Speak to the customer's strategy and what lies over the horizon; log the engagement afterwards.",
            ),
        ),
    ),
    PlaybookTemplate(
        slug="proactive-multi-threading",
        name="Proactive multi-threading",
        trigger=Trigger.RENEWAL_NEAR,
        description="A renewal is coming: make sure the relationship does not hang on one person before the "
        "decision is made.",
        settings={"days": 90},
        steps=(
            StepTemplate(
                "Review the relationship map",
                CSM,
                3,
                "Who decides the renewal, who influences it, and which of them we have no relationship with. "
                "Update attitudes and reports-to where they have changed.",
            ),
            StepTemplate(
                "Name two new people to meet",
                AE,
                7,
                "Pick two people above or beside the current champion and agree who on our side meets each.",
            ),
            StepTemplate(
                "Meet one new executive",
                SPONSOR,
                21,
                "Ask the customer executive you know for an introduction to a peer; log the meeting.",
            ),
        ),
    ),
    PlaybookTemplate(
        slug="sponsor-departure",
        name="Sponsor departure (reactive)",
        trigger=Trigger.ALERT,
        description="A customer sponsor or champion has left or changed role: rebuild the relationship quickly, "
        "and follow the person to their new company.",
        settings={"alert_kinds": ["departure"], "within_days": 30},
        steps=(
            StepTemplate(
                "Confirm the departure and who takes over",
                AE,
                1,
                "Check with someone you trust at the customer; find out who inherits the person's responsibilities.",
            ),
            StepTemplate(
                "Reach out to the successor",
                SPONSOR,
                5,
                "A short, personal note offering a conversation; no agenda beyond getting to know them.",
            ),
            StepTemplate(
                "Assess the risk to the account",
                CSM,
                5,
                "Open issues, the renewal date, and who else still supports us; raise the health concerns you see.",
            ),
            StepTemplate(
                "Stay in touch with the person who left",
                AE,
                14,
                "Congratulate them on the new role; their new company may become a customer.",
            ),
        ),
    ),
    PlaybookTemplate(
        slug="new-customer-executive",
        name="New customer executive",
        trigger=Trigger.ALERT,
        description="A new executive has joined the customer: meet them early, before they form a view of us.",
        settings={"alert_kinds": ["new_executive"], "within_days": 30},
        steps=(
            StepTemplate(
                "Learn what the new executive cares about",
                AE,
                3,
                "Their background, their mandate, and what they said when they arrived.",
            ),
            StepTemplate(
                "Ask for an introduction",
                SPONSOR,
                10,
                "Through the customer executive you know; offer a conversation about their priorities.",
            ),
            StepTemplate(
                "Add them to the relationship map",
                CSM,
                3,
                "Title, reports-to, persona and influence.",
            ),
        ),
    ),
    PlaybookTemplate(
        slug="health-drop",
        name="Health drop",
        trigger=Trigger.HEALTH_DROP,
        description="The account's health fell into a worse band or by many points: find out why and act before "
        "the customer says it.",
        settings={"points": 15, "within_days": 7},
        steps=(
            StepTemplate(
                "Explain the drop",
                CSM,
                2,
                "Read the drivers of the change on the account page and check them with the customer's team.",
            ),
            StepTemplate(
                "Agree a recovery plan",
                AE,
                5,
                "What we will fix, by when, and who tells the customer.",
                ("Cause understood", "Plan written", "Customer informed"),
            ),
            StepTemplate(
                "Call the customer executive",
                SPONSOR,
                7,
                "Acknowledge what is not going well and what we are doing about it; do not wait to be asked.",
            ),
        ),
    ),
)


def ensure_built_in_playbooks() -> int:
    """Create the built-in playbooks that are missing; returns how many were created. Never changes one that
    exists, so the owner's edits (and a deactivation) stay."""
    existing = set(
        Playbook.objects.filter(slug__in=[t.slug for t in BUILT_IN_PLAYBOOKS]).values_list("slug", flat=True)
    )
    created = 0
    for template in BUILT_IN_PLAYBOOKS:
        if template.slug in existing:
            continue
        try:
            with transaction.atomic():
                _create(template)
        except IntegrityError:
            continue  # another process created it at the same moment
        created += 1
    return created


def _create(template: PlaybookTemplate) -> Playbook:
    playbook = Playbook.objects.create(
        slug=template.slug,
        name=template.name,
        description=template.description,
        trigger=template.trigger,
        settings=dict(template.settings),
        built_in=True,
    )
    PlaybookStep.objects.bulk_create(
        PlaybookStep(
            playbook=playbook,
            position=position,
            title=step.title,
            role=step.role,
            offset_days=step.offset_days,
            instructions=step.instructions,
            checklist=list(step.checklist),
        )
        for position, step in enumerate(template.steps, start=1)
    )
    return playbook
