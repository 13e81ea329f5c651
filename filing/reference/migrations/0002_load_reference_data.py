"""Regions and the 2016 high-tech field catalogue, from definitions/reference/."""

from django.db import migrations


def load(apps, schema_editor):
    from filing.reference.loading import load_fields, load_regions

    load_regions(apps.get_model("reference", "Region"))
    load_fields(apps.get_model("reference", "HighTechField"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
