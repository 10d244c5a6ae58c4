"""Fill the enablement catalogue with its starting items and turn each executive's list of keys into dated
completions (dated the day of the migration, recorded by nobody: the list never said when or who)."""

from django.db import migrations
from django.utils import timezone

STARTING_ITEMS = (
    ("sponsor-101", "Sponsor 101", "What a sponsor does and does not do; the cadence; engagements that count.", "everyone"),
    ("executive-briefing", "Executive briefing", "The program's goals, the accounts and how they were chosen.", "everyone"),
    ("account-planning", "Account planning", "Reading and shaping the AE's account plan with them.", "everyone"),
    ("escalation-handling", "Escalation handling", "What to do when the customer escalates to you.", "optional"),
    (
        "customer-facing-skills",
        "Customer-facing skills for non-customer-facing executives",
        "For a CTO, CFO or other leader who rarely meets customers: preparing, listening, not selling.",
        "not_customer_facing",
    ),
)


def fill(apps, schema_editor):
    Item = apps.get_model("users", "EnablementItem")
    Completion = apps.get_model("users", "EnablementCompletion")
    Executive = apps.get_model("users", "Executive")
    for position, (key, label, description, audience) in enumerate(STARTING_ITEMS):
        Item.objects.get_or_create(
            key=key, defaults={"label": label, "description": description, "audience": audience, "position": position}
        )
    today = timezone.localdate()
    items = {item.key: item for item in Item.objects.all()}
    for executive in Executive.objects.exclude(enablement=[]):
        for key in executive.enablement or ():
            if not isinstance(key, str) or not key.strip():
                continue
            item = items.get(key)
            if item is None:
                item = items[key] = Item.objects.create(
                    key=key[:64], label=key[:120], audience="optional", position=len(items)
                )
            Completion.objects.get_or_create(executive=executive, item=item, defaults={"completed_on": today})


class Migration(migrations.Migration):
    dependencies = [("users", "0004_enablement_catalogue_and_completions")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
