from django.db import migrations, models


def mark_extended_calls(apps, schema_editor):
    """Calls whose submission deadline was extended before the flag existed."""
    Call = apps.get_model("calls", "Call")
    DeadlineExtension = apps.get_model("reviews", "DeadlineExtension")
    extended = DeadlineExtension.objects.filter(kind="submission").values("call_id")
    Call.objects.filter(pk__in=extended).update(submission_extended=True)


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0002_initial"),
        ("reviews", "0007_workbench_copies"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="submission_extended",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_extended_calls, migrations.RunPython.noop),
    ]
