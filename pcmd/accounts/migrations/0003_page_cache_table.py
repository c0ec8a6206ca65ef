"""The cache table of what pages keep between requests (settings.CACHES["pages"]), beside the
rate limits' pcmd_cache: created by migrate, as 0002 does for that one."""

from django.core.management import call_command
from django.db import migrations

TABLE = "pcmd_page_cache"


def create(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_cache_table")]

    operations = [migrations.RunPython(create, drop)]
