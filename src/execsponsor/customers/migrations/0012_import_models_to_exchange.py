# The import jobs and saved mappings moved to the exchange app (execsponsor.exchange): this migration takes them
# out of the customers state only. Their tables (customers_importbatch, customers_importmapping) stay as they
# are; exchange's 0001_initial takes them over in its state, with the same table and constraint names.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0011_outcomes_advocates_history_activities"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ImportBatch"),
                migrations.DeleteModel(name="ImportMapping"),
            ],
            database_operations=[],
        ),
    ]
