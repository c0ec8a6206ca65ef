"""The shared cache table (settings.CACHES, PCMD_CACHE=database): created by migrate so that
an operator never has to remember `createcachetable`, whichever cache the settings name."""

from django.core.management import call_command
from django.db import migrations

TABLE = "pcmd_cache"


def create(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
