"""The authority tree of the notices, from definitions/authorities.yaml."""

from django.db import migrations


def load(apps, schema_editor):
    from filing.orgs.loading import load_authorities

    load_authorities(apps.get_model("orgs", "Authority"), apps.get_model("reference", "Region"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial"), ("reference", "0002_load_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
