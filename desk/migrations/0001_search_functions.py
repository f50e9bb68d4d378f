from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# `unaccent` is only STABLE, so an index or generated column cannot call it directly; this
# IMMUTABLE wrapper with a fixed dictionary can. desk.text.fold does the same in Python.
FOLD = r"""
CREATE OR REPLACE FUNCTION desk_fold(VARIADIC parts text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT btrim(regexp_replace(
    lower(public.unaccent('public.unaccent'::regdictionary, array_to_string(parts, ' '))),
    '\s+', ' ', 'g'))
$$;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(FOLD, "DROP FUNCTION IF EXISTS desk_fold(VARIADIC text[]);"),
    ]
