"""A normalised search key on accounts and a trigram text index over it (see customers/search_index.py):
FTS5 with the trigram tokenizer and triggers on SQLite, pg_trgm and a GIN index on PostgreSQL."""

from django.db import migrations, models

from execsponsor.customers.models import search_key
from execsponsor.customers.search_index import drop_account_search_index, ensure_account_search_index


def fill_search_names(apps, schema_editor):
    Account = apps.get_model("customers", "Account")
    batch = []
    for account in Account.objects.only("pk", "name").iterator(chunk_size=2000):
        account.search_name = search_key(account.name)
        batch.append(account)
        if len(batch) == 2000:
            Account.objects.bulk_update(batch, ["search_name"])
            batch = []
    Account.objects.bulk_update(batch, ["search_name"])


def create_text_index(apps, schema_editor):
    ensure_account_search_index(schema_editor.connection)


def drop_text_index(apps, schema_editor):
    drop_account_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_account_culture_notes"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="search_name",
            field=models.CharField(blank=True, db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.RunPython(create_text_index, drop_text_index),
    ]
