# The import jobs and saved mappings, moved here from customers (customers 0012 takes them out of its state).
# State only: the tables already exist under their old names (customers_importmapping, customers_importbatch)
# with these columns and constraints, so nothing in the database changes, except that their content types
# (admin history, permissions) follow the models to the exchange app.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ("importbatch", "importmapping")


def content_types_follow(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=new, model__in=MODELS).exists():
        return
    ContentType.objects.using(db).filter(app_label=old, model__in=MODELS).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    content_types_follow(apps, schema_editor, old="customers", new="exchange")


def backwards(apps, schema_editor) -> None:
    content_types_follow(apps, schema_editor, old="exchange", new="customers")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0012_import_models_to_exchange"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportMapping",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("accounts", "Accounts"),
                                    ("contacts", "Contacts"),
                                    ("opportunities", "Opportunities"),
                                    ("revenue", "Quarterly revenue"),
                                    ("activities", "Past activities"),
                                    ("users", "Our users"),
                                    ("executives", "Our executives"),
                                    ("satisfaction", "CSAT / NPS responses"),
                                    ("usage", "Product usage"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("columns", models.JSONField(default=dict)),
                        (
                            "date_format",
                            models.CharField(
                                blank=True, help_text="dmy or mdy when dates are ambiguous", max_length=16
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "customers_importmapping",
                    },
                ),
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("manual", "Entered in ExecSponsor"),
                                    ("salesforce", "Salesforce"),
                                    ("hubspot", "HubSpot"),
                                    ("csv", "CSV with mapping"),
                                    ("calendar", "Calendar (ICS)"),
                                    ("demo", "Demo company"),
                                ],
                                max_length=16,
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("accounts", "Accounts"),
                                    ("contacts", "Contacts"),
                                    ("opportunities", "Opportunities"),
                                    ("revenue", "Quarterly revenue"),
                                    ("activities", "Past activities"),
                                    ("users", "Our users"),
                                    ("executives", "Our executives"),
                                    ("satisfaction", "CSAT / NPS responses"),
                                    ("usage", "Product usage"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("file_name", models.CharField(max_length=255)),
                        (
                            "upload_path",
                            models.CharField(blank=True, help_text="The uploaded file under DATA_DIR", max_length=500),
                        ),
                        ("upload_size", models.BigIntegerField(default=0)),
                        ("skip_bad_rows", models.BooleanField(default=False)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("previewing", "Checking the file"),
                                    ("previewed", "Previewed"),
                                    ("committing", "Importing"),
                                    ("committed", "Committed"),
                                    ("failed", "Failed"),
                                    ("discarded", "Discarded"),
                                ],
                                default="queued",
                                max_length=16,
                            ),
                        ),
                        (
                            "step",
                            models.CharField(
                                blank=True, help_text="checking | writing, while the job runs", max_length=16
                            ),
                        ),
                        ("rows_done", models.BigIntegerField(default=0)),
                        ("rows_total", models.BigIntegerField(default=0)),
                        ("resumable", models.BooleanField(default=False)),
                        ("failure", models.TextField(blank=True)),
                        (
                            "applied",
                            models.JSONField(
                                blank=True, default=dict, help_text="Counts of the batches a commit has written"
                            ),
                        ),
                        ("report", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("committed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL
                            ),
                        ),
                        (
                            "mapping",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to="exchange.importmapping",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "customers_importbatch",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="importmapping",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "accounts",
                                    "contacts",
                                    "opportunities",
                                    "revenue",
                                    "activities",
                                    "users",
                                    "executives",
                                    "satisfaction",
                                    "usage",
                                ],
                            )
                        ),
                        name="import_mapping_kind_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="importbatch",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                ["queued", "previewing", "previewed", "committing", "committed", "failed", "discarded"],
                            )
                        ),
                        name="import_batch_status_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="importbatch",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "accounts",
                                    "contacts",
                                    "opportunities",
                                    "revenue",
                                    "activities",
                                    "users",
                                    "executives",
                                    "satisfaction",
                                    "usage",
                                ],
                            )
                        ),
                        name="import_batch_kind_valid",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
