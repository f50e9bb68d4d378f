from datetime import date
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    InterestRate = apps.get_model("arrears", "InterestRate")
    InterestRate.objects.get_or_create(
        valid_from=date(2025, 7, 1),
        defaults={
            "daily_rate": Decimal("0.0003"),
            "note": "Luật BHXH 41/2024/QH15, Điều 40-41: 0,03 %/ngày",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("arrears", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
