"""The playbook engine: start a run (its tasks, for the right people, due on anchor + offset), evaluate the
triggers, escalate overdue tasks.

A trigger fires once per cause. Each cause has a key (e.g. ``sponsorship-approved:42``) and the database holds
one run per (playbook, cause key): a run is inserted inside a savepoint and a duplicate is skipped, so a re-run
of the sweep, a restarted worker or two workers at the same moment start nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from execsponsor.access.rules import require
from execsponsor.customers.models import Account
from execsponsor.playbooks.models import Playbook, PlaybookRun, StepRole, Task, TaskPolicy, Trigger
from execsponsor.users.models import Role, User

# Cause keys looked up per query (under SQLite's limit on query parameters).
KEY_CHUNK = 500
# Health bands from worst to best, to tell a fall from a rise.
BAND_RANK = {"red": 0, "yellow": 1, "green": 2}


@dataclass(frozen=True)
class Cause:
    """Why a playbook should run, and on what: the key makes it happen once.

    Triggers name what a cause is about by id (`sponsorship_id`, `account_id`, `alert_id`); the engine loads
    the objects only for the causes that have not run yet, so a sweep over a running program reads ids."""

    key: str
    anchor_date: dt.date
    account: Account | None = None
    sponsorship: object | None = None
    alert: object | None = None
    sponsorship_id: int | None = None
    account_id: int | None = None
    alert_id: int | None = None


@dataclass
class Evaluation:
    started: dict[str, int] = field(default_factory=dict)
    skipped: int = 0

    @property
    def runs_started(self) -> int:
        return sum(self.started.values())

    def as_dict(self) -> dict[str, int]:
        return {"runs_started": self.runs_started, "already_started": self.skipped, **self.started}


# Who does a step


def program_owners() -> list[User]:
    """The active program owners, else the active admins: who gets the owner's steps and escalations."""
    owners = list(User.objects.filter(is_active=True, role=Role.PROGRAM_OWNER).order_by("pk"))
    return owners or list(User.objects.filter(is_active=True, role=Role.ADMIN).order_by("pk"))


def _sponsor_of(account: Account | None, sponsorship) -> User | None:
    if sponsorship is not None:
        return sponsorship.executive.user
    if account is None:
        return None
    from execsponsor.program.models import Sponsorship

    live = Sponsorship.objects.live().filter(account=account).select_related("executive__user").order_by("pk")
    first = live.first()
    return first.executive.user if first else None


def person_for(role: str, *, account: Account | None, sponsorship, owners: list[User] | None = None) -> User | None:
    """The person who plays `role` on this account or sponsorship, if there is one and they are active."""
    if role == StepRole.SPONSOR:
        person = _sponsor_of(account, sponsorship)
    elif role == StepRole.AE:
        person = account.owner if account else None
    elif role == StepRole.CSM:
        person = account.csm if account else None
    else:
        person = least_busy_owner(program_owners() if owners is None else owners)
    return person if person is not None and person.is_active else None


ROLE_WORDS = {
    StepRole.SPONSOR: "executive sponsor",
    StepRole.AE: "account executive",
    StepRole.CSM: "CSM",
    StepRole.OWNER: "program owner",
}


def _stand_in_note(role: str, account: Account | None) -> str:
    where = f" on {account.name}" if account else ""
    return (
        f"There is no active {ROLE_WORDS[StepRole(role)]}{where}, so this step comes to you as the program owner: "
        "do it, or reassign it to the right person.\n\n"
    )


# Starting a run


def start_run(
    *, playbook: Playbook, cause: Cause, started_by: User | None = None, owners: list[User] | None = None
) -> PlaybookRun | None:
    """Start `playbook` for `cause` with its tasks, or return None when a run for this cause already exists.
    `owners`: the program owners, when the caller has read them already (a sweep starts many runs)."""
    account = cause.account
    if account is None and cause.sponsorship is not None:
        account = cause.sponsorship.account
    try:
        with transaction.atomic():
            run = PlaybookRun.objects.create(
                playbook=playbook,
                account=account,
                sponsorship=cause.sponsorship,
                alert=cause.alert,
                anchor_date=cause.anchor_date,
                started_by=started_by,
                cause_key=cause.key[:160],
            )
            _create_tasks(run, account=account, sponsorship=cause.sponsorship, owners=owners)
    except IntegrityError:
        if not cause.key:
            raise
        return None
    return run


def least_busy_owner(owners: list[User]) -> User | None:
    """Shares the program owner's work among several program owners: the one with the fewest open tasks
    (ties to the longest-standing). A run's owner steps all go to the same person."""
    if len(owners) < 2:
        return owners[0] if owners else None
    counts = dict(
        Task.objects.filter(status=Task.Status.OPEN, owner__in=owners)
        .values("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
    )
    return min(owners, key=lambda owner: (counts.get(owner.pk, 0), owner.pk))


def _create_tasks(run: PlaybookRun, *, account: Account | None, sponsorship, owners: list[User] | None) -> list[Task]:
    now = timezone.now()
    owners = program_owners() if owners is None else owners
    run_owner = least_busy_owner(owners)
    tasks = []
    for step in run.playbook.steps.all():
        if step.role == StepRole.OWNER:
            owner = run_owner
        else:
            owner = person_for(step.role, account=account, sponsorship=sponsorship, owners=owners)
        instructions = step.instructions
        if owner is None and step.role != StepRole.OWNER:
            owner = run_owner
            instructions = _stand_in_note(step.role, account) + instructions
        tasks.append(
            Task(
                run=run,
                step=step,
                account=account,
                title=step.title,
                instructions=instructions,
                checklist=[{"item": str(item), "done": False} for item in step.checklist or []],
                owner=owner,
                due_on=run.anchor_date + dt.timedelta(days=step.offset_days),
                assigned_at=now,
                created_at=now,
            )
        )
    return Task.objects.bulk_create(tasks)


def _start_all(playbook: Playbook, causes: Iterable[Cause], evaluation: Evaluation, *, by: User) -> None:
    """Start `playbook` for each cause it has not run for yet. Known causes are skipped by one read; the
    unique constraint settles a race with another worker."""
    causes = list(causes)
    if not causes:
        return
    keys = [cause.key for cause in causes]
    known: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        known.update(
            PlaybookRun.objects.filter(playbook=playbook, cause_key__in=chunk).values_list("cause_key", flat=True)
        )
    evaluation.skipped += sum(1 for cause in causes if cause.key in known)
    new = _with_objects([cause for cause in causes if cause.key not in known])
    owners = program_owners() if new else []
    for cause in new:
        if start_run(playbook=playbook, cause=cause, started_by=by, owners=owners) is None:
            evaluation.skipped += 1
            continue
        evaluation.started[playbook.slug] = evaluation.started.get(playbook.slug, 0) + 1


def _with_objects(causes: list[Cause]) -> list[Cause]:
    """The causes with their sponsorship, account and alert loaded (a query per kind, not per cause); a cause
    whose sponsorship is no longer live, or whose alert or account is gone, is dropped."""
    from execsponsor.signals.models import Alert

    if not causes:
        return []
    sponsorships = _program_sponsorships().in_bulk({c.sponsorship_id for c in causes if c.sponsorship_id})
    accounts = Account.objects.select_related("owner", "csm").in_bulk({c.account_id for c in causes if c.account_id})
    alerts = Alert.objects.in_bulk({c.alert_id for c in causes if c.alert_id})
    loaded = []
    for cause in causes:
        changes: dict[str, object] = {}
        if cause.sponsorship_id is not None:
            if cause.sponsorship_id not in sponsorships:
                continue
            changes["sponsorship"] = sponsorships[cause.sponsorship_id]
        if cause.account_id is not None:
            if cause.account_id not in accounts:
                continue
            changes["account"] = accounts[cause.account_id]
        if cause.alert_id is not None:
            if cause.alert_id not in alerts:
                continue
            changes["alert"] = alerts[cause.alert_id]
        loaded.append(replace(cause, **changes) if changes else cause)
    return loaded


# The triggers: each yields the causes it sees today


def _program_sponsorships():
    from execsponsor.program.models import Sponsorship

    return Sponsorship.objects.live().select_related("account__owner", "account__csm", "executive__user")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _sponsorship_approved(playbook: Playbook, today: dt.date) -> Iterator[Cause]:
    from execsponsor.program.models import Sponsorship

    since = today - dt.timedelta(days=int(playbook.setting("within_days")))
    approved = (
        Sponsorship.objects.live()
        .filter(approved_at__gte=_start_of(since), approved_at__lt=_start_of(today + dt.timedelta(days=1)))
        .order_by("pk")
        .values_list("pk", "approved_at")
    )
    for pk, approved_at in approved:
        approved_on = timezone.localdate(approved_at)
        if since <= approved_on <= today:
            yield Cause(f"sponsorship-approved:{pk}", approved_on, sponsorship_id=pk)


def _cadence_overdue(playbook: Playbook, today: dt.date) -> Iterator[Cause]:
    from execsponsor.core.cadence import CadenceState
    from execsponsor.engagements.cadence import DUE_STATUSES, cadence_sweep
    from execsponsor.program.models import Sponsorship

    overdue = [
        (row.pk, cadence.clock_started_on)
        for row, cadence in cadence_sweep(Sponsorship.objects.filter(status__in=DUE_STATUSES), today)
        if cadence.state == CadenceState.OVERDUE and cadence.clock_started_on is not None
    ]
    for pk, started in overdue:
        # One nudge per silent spell: the spell is named by the day its clock started.
        yield Cause(f"cadence-overdue:{pk}:{started.isoformat()}", today, sponsorship_id=pk)


def _program_accounts():
    from execsponsor.program.models import LIVE_STATUSES

    return Account.objects.filter(sponsorships__status__in=LIVE_STATUSES).distinct().select_related("owner", "csm")


def _renewal_near(playbook: Playbook, today: dt.date) -> Iterator[Cause]:
    until = today + dt.timedelta(days=int(playbook.setting("days")))
    accounts = (
        _program_accounts()
        .filter(renewal_date__gte=today, renewal_date__lte=until)
        .order_by("pk")
        .values_list("pk", "renewal_date")
    )
    for pk, renewal_date in accounts:
        yield Cause(f"renewal:{pk}:{renewal_date.isoformat()}", today, account_id=pk)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarter_start(playbook: Playbook, today: dt.date) -> Iterator[Cause]:
    from execsponsor.engagements.cadence import DUE_STATUSES

    start = quarter_start(today)
    if (today - start).days >= int(playbook.setting("within_days")):
        return
    quarter = f"{start.year}Q{(start.month - 1) // 3 + 1}"
    from execsponsor.program.models import Sponsorship

    for pk in Sponsorship.objects.filter(status__in=DUE_STATUSES).order_by("pk").values_list("pk", flat=True):
        yield Cause(f"quarter:{pk}:{quarter}", start, sponsorship_id=pk)


def alert_kind(alert) -> str:
    """What an alert is about, from its dedupe key (``departure:42`` → ``departure``)."""
    return (alert.dedupe_key or "").split(":", 1)[0]


def _alert_raised(playbook: Playbook, today: dt.date) -> Iterator[Cause]:
    from execsponsor.signals.models import Alert, AlertStatus

    kinds = [str(kind) for kind in playbook.setting("alert_kinds") or []]
    if not kinds:
        return
    since = today - dt.timedelta(days=int(playbook.setting("within_days")))
    wanted = Q()
    for kind in kinds:
        wanted |= Q(dedupe_key__startswith=f"{kind}:")
    alerts = (
        Alert.objects.filter(wanted, starts_on__gte=since, starts_on__lte=today, account__isnull=False)
        .exclude(status=AlertStatus.RESOLVED)
        .order_by("pk")
        .values_list("pk", "starts_on", "account_id")
    )
    for pk, starts_on, account_id in alerts:
        yield Cause(f"alert:{pk}", starts_on, account_id=account_id, alert_id=pk)


def health_fell(*, previous_score: int, previous_band: str, score: int, band: str, points: int) -> bool:
    """A drop worth a playbook: into a worse band, or by at least `points`."""
    worse_band = BAND_RANK.get(band, 0) < BAND_RANK.get(previous_band, 0)
    return worse_band or previous_score - score >= points


def _health_drop(playbook: Playbook, today: dt.date) -> Iterator[Cause]:
    from execsponsor.insights.models import HealthSnapshot

    since = today - dt.timedelta(days=int(playbook.setting("within_days")))
    points = int(playbook.setting("points"))
    earlier = HealthSnapshot.objects.filter(account=OuterRef("account"), taken_on__lt=OuterRef("taken_on")).order_by(
        "-taken_on"
    )
    latest: dict[int, tuple] = {}
    rows = (
        HealthSnapshot.objects.filter(taken_on__gte=since, taken_on__lte=today, account__in=_program_accounts())
        .annotate(prev_score=Subquery(earlier.values("score")[:1]), prev_band=Subquery(earlier.values("band")[:1]))
        .values_list("account_id", "taken_on", "score", "band", "prev_score", "prev_band")
    )
    for row in rows:
        if row[0] not in latest or row[1] > latest[row[0]][1]:
            latest[row[0]] = row
    fell = {
        account_id: taken_on
        for account_id, taken_on, score, band, prev_score, prev_band in latest.values()
        if prev_score is not None
        and health_fell(previous_score=prev_score, previous_band=prev_band, score=score, band=band, points=points)
    }
    for account_id in sorted(fell):
        yield Cause(f"health-drop:{account_id}:{fell[account_id].isoformat()}", fell[account_id], account_id=account_id)


TRIGGERS = {
    Trigger.SPONSORSHIP_APPROVED: _sponsorship_approved,
    Trigger.CADENCE_OVERDUE: _cadence_overdue,
    Trigger.RENEWAL_NEAR: _renewal_near,
    Trigger.QUARTER_START: _quarter_start,
    Trigger.ALERT: _alert_raised,
    Trigger.HEALTH_DROP: _health_drop,
}


def triggers_evaluate(today: dt.date | None = None, *, by: User) -> Evaluation:
    """Start every active playbook for each cause its trigger sees on `today` that it has not run for yet.
    `by` (the job's system user, as a rule) is recorded as who started each run."""
    from execsponsor.engagements.cadence import cadence_today
    from execsponsor.playbooks.builtins import ensure_built_in_playbooks

    require(by, "execsponsor.run_program", to="start playbooks from their triggers")

    today = today or cadence_today()
    ensure_built_in_playbooks()
    evaluation = Evaluation()
    playbooks = Playbook.objects.filter(is_active=True).exclude(trigger=Trigger.MANUAL).prefetch_related("steps")
    for playbook in playbooks.order_by("pk"):
        _start_all(playbook, TRIGGERS[Trigger(playbook.trigger)](playbook, today), evaluation, by=by)
    return evaluation


# Escalation


def manager_of(user: User) -> User | None:
    """The person `user` reports to, where we know it (an executive's reports-to)."""
    executive = user.executive if hasattr(user, "executive") else None  # hasattr: no executive record
    manager = executive.reports_to.user if executive and executive.reports_to_id else None
    return manager if manager is not None and manager.is_active else None


def escalation_recipient(task: Task) -> User | None:
    """The owner's manager where known, else the program owner; never the task's own owner."""
    candidates = [manager_of(task.owner)] if task.owner else []
    others = [owner for owner in program_owners() if owner != task.owner]
    candidates.append(least_busy_owner(others))
    return next((person for person in candidates if person is not None and person != task.owner), None)


def overdue_escalate(today: dt.date | None = None, *, by: User) -> int:
    """Escalate the open tasks more than the grace period past due (and not snoozed): mark them escalated and
    give the escalation to the owner's manager or the program owner as a task of its own. Once per task.
    `by`: the job's system user, as a rule."""
    from execsponsor.engagements.cadence import cadence_today

    require(by, "execsponsor.run_program", to="escalate overdue tasks")

    today = today or cadence_today()
    grace = TaskPolicy.current().escalation_grace_days
    late = (
        Task.objects.filter(status=Task.Status.OPEN, due_on__lt=today - dt.timedelta(days=grace))
        .filter(escalated_at__isnull=True, escalates__isnull=True)
        .exclude(snoozed_until__gt=today)
        .select_related("owner__executive__reports_to__user", "account")
        .order_by("pk")
    )
    escalated = 0
    for task in late:
        with transaction.atomic():
            # Claim the task: only the worker whose update wins writes the escalation.
            if not Task.objects.filter(pk=task.pk, escalated_at__isnull=True).update(escalated_at=timezone.now()):
                continue
            recipient = escalation_recipient(task)
            if recipient is not None:
                Task.objects.create(
                    escalates=task,
                    account=task.account,
                    title=f"Overdue: {task.title}"[:255],
                    instructions=(
                        f"{task.owner or 'Nobody'} has not done this task, due {task.due_on:%d %b %Y} "
                        f"({(today - task.due_on).days} days ago). Ask them about it, or reassign it."
                    ),
                    owner=recipient,
                    due_on=today,
                )
            escalated += 1
    return escalated
