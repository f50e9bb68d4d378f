"""Unit codes of letters, digits, "-" and "_" only. Codes already recorded are checked first:
if any breaks the rule the migration stops, naming them, and changes nothing, so that the
office corrects them (in the admin, or a corrected employers file) before it runs again."""

import django.core.validators
from django.db import migrations, models

PATTERN = r"^[A-Za-z0-9_-]+$"
SHOWN = 50  # codes named in the message; the count says how many more


def check_existing_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Employer = apps.get_model("participants", "Employer")
    bad = Employer.objects.exclude(unit_code__regex=PATTERN).order_by("unit_code")
    codes = list(bad.values_list("unit_code", flat=True)[: SHOWN + 1])
    if codes:
        named = ", ".join(repr(code) for code in codes[:SHOWN])
        more = bad.count() - SHOWN
        raise RuntimeError(
            "Unit codes must be letters, digits, '-' and '_' only; correct these employers' "
            f"codes, then migrate again: {named}" + (f" and {more} more." if more > 0 else ".")
        )


def _field(unique: bool) -> models.CharField:
    return models.CharField(
        max_length=20,
        unique=unique,
        validators=[
            django.core.validators.RegexValidator(
                PATTERN,
                "Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu «-» và «_».",
                code="unit_code",
            )
        ],
        verbose_name="mã đơn vị",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0010_holidays"),
    ]

    operations = [
        migrations.RunPython(check_existing_codes, migrations.RunPython.noop),
        migrations.AlterField(model_name="employer", name="unit_code", field=_field(True)),
        migrations.AlterField(model_name="employerevent", name="unit_code", field=_field(False)),
    ]
