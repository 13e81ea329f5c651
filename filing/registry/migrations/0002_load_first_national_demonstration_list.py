"""The 17 spaces of 国科发高〔2016〕231号, from definitions/registry/; loading again changes nothing."""

from django.db import migrations

FILE = "first-national-demonstration-2016.yaml"


def load(apps, schema_editor):
    from filing.registry.loading import DATA_DIR, load_file

    load_file(apps.get_model("registry", "FiledSpace"), apps.get_model("orgs", "Authority"), DATA_DIR / FILE)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("orgs", "0002_load_authorities"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
