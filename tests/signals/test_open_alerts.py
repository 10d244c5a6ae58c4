"""The open alerts a user sees, most urgent first (the signals page, the dashboard and every home)."""

from __future__ import annotations

import datetime as dt

from execsponsor.signals.models import Alert, AlertStatus, AlertType, Priority
from execsponsor.signals.selectors import open_alerts


def test_a_critical_alert_due_late_comes_first_however_many_lesser_ones_are_due_earlier(cast):
    today = dt.date(2026, 12, 1)
    for n in range(6):
        Alert.objects.create(type=AlertType.RISK, account=cast.sponsored_account, reason=f"Medium {n}",
                             priority=Priority.MEDIUM, due_on=today + dt.timedelta(days=n))  # fmt: skip
    Alert.objects.create(type=AlertType.RISK, account=cast.sponsored_account, reason="Critical, due late",
                         priority=Priority.CRITICAL, due_on=today + dt.timedelta(days=30))  # fmt: skip
    Alert.objects.create(type=AlertType.RISK, account=cast.sponsored_account, reason="High, no due day",
                         priority=Priority.HIGH, starts_on=today)  # fmt: skip
    Alert.objects.create(type=AlertType.RISK, account=cast.sponsored_account, reason="Resolved critical",
                         priority=Priority.CRITICAL, status=AlertStatus.RESOLVED)  # fmt: skip
    shown = [a.reason for a in open_alerts(user=cast.owner, limit=3)]
    assert shown == ["Critical, due late", "High, no due day", "Medium 0"]
    assert [a.reason for a in open_alerts(user=cast.outsider_ae)] == []  # not their account
