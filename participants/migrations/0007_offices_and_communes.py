"""The map since 1 July 2025: every district becomes a grassroots office (BHXH cơ sở) under the
provincial office, with its employers, officers and coverage figures; communes are added.

Renames keep every row and every key, so balances, cases and scopes are as they were; the
provincial office is added as the root. Reversible: going back drops the provincial office
(when nothing refers to it) and the new columns, and renames the offices back to districts.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from desk.text import fold

PROVINCE_CODE = "TINH"


def office_code(name: str, taken: set[str]) -> str:
    """A code from the office's name: its words, diacritics-free and upper-case, joined."""
    base = "_".join(fold(name).upper().split())[:16] or "BHXH"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base[:13]}_{n}"
    taken.add(code)
    return code


def districts_to_offices(apps, schema_editor):
    Office = apps.get_model("participants", "Office")
    Employer = apps.get_model("participants", "Employer")
    CoverageFigure = apps.get_model("participants", "CoverageFigure")
    taken = {PROVINCE_CODE}
    offices = list(Office.objects.order_by("pk"))
    for office in offices:
        office.code = office_code(office.name, taken)
        office.kind = "grassroots"
        office.save(update_fields=["code", "kind"])
    province = settings.OFFICE_NAME
    while Office.objects.filter(name=province).exists():
        province = f"{province} (tỉnh)"
    Office.objects.create(code=PROVINCE_CODE, name=province, kind="province")
    if offices:
        # The migration's report: what became of the district-era data.
        print(
            f"\n  {len(offices)} districts became grassroots offices "
            f"({', '.join(f'{o.name} = {o.code}' for o in offices)}); "
            f"{Employer.objects.count()} employers, "
            f"{apps.get_model('accounts', 'User').offices.through.objects.count()} officer "
            f"assignments and {CoverageFigure.objects.exclude(office=None).count()} coverage "
            f"figures follow them; provincial office «{province}» added as the root."
        )


def drop_province(apps, schema_editor):
    # Plain SQL: the historical models' orderings still name the old field at this point. An
    # employer or figure still on the provincial office stops the way back, as it should.
    # Keys checked now, not at commit: the table is altered next in the same transaction.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("DELETE FROM participants_office WHERE kind = %s", ["province"])
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_agencies"),
        # The ledger stamp's trigger is created on the districts' table, which this renames.
        ("arrears", "0006_ledger_stamp"),
        ("participants", "0006_person_number_format_without_counted_repetition"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        # The index and the constraint name the renamed column: dropped, then made again.
        migrations.RemoveIndex("employer", "employer_district_status"),
        migrations.RemoveConstraint("coveragefigure", "coverage_one_per_area_period"),
        migrations.RenameModel("District", "Office"),
        migrations.RenameField("employer", "district", "office"),
        migrations.RenameField("employerevent", "district", "office"),
        migrations.RenameField("coveragefigure", "district", "office"),
        migrations.AddIndex(
            "employer",
            models.Index(fields=["office", "status"], name="employer_office_status"),
        ),
        migrations.AddConstraint(
            "coveragefigure",
            models.UniqueConstraint(
                fields=["office", "year", "quarter"],
                name="coverage_one_per_area_period",
                nulls_distinct=False,
            ),
        ),
        migrations.AddField(
            model_name="office",
            name="code",
            field=models.CharField(max_length=20, null=True, verbose_name="mã"),
        ),
        migrations.AddField(
            model_name="office",
            name="kind",
            field=models.CharField(
                choices=[("province", "BHXH tỉnh"), ("grassroots", "BHXH cơ sở")],
                default="grassroots",
                max_length=10,
                verbose_name="cấp",
            ),
        ),
        migrations.AddField(
            model_name="office",
            name="address",
            field=models.CharField(blank=True, max_length=255, verbose_name="địa chỉ"),
        ),
        migrations.AddField(
            model_name="office",
            name="phone",
            field=models.CharField(blank=True, max_length=30, verbose_name="điện thoại"),
        ),
        migrations.AddField(
            model_name="office",
            name="head",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="giám đốc",
            ),
        ),
        migrations.RunPython(districts_to_offices, drop_province),
        migrations.AlterField(
            model_name="office",
            name="code",
            field=models.CharField(max_length=20, unique=True, verbose_name="mã"),
        ),
        migrations.CreateModel(
            name="Commune",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=20, unique=True, verbose_name="mã")),
                ("name", models.CharField(max_length=100, verbose_name="tên")),
                (
                    "kind",
                    models.CharField(
                        choices=[("xa", "Xã"), ("phuong", "Phường"), ("dac_khu", "Đặc khu")],
                        max_length=8,
                        verbose_name="loại",
                    ),
                ),
                (
                    "former_district",
                    models.CharField(blank=True, max_length=100, verbose_name="huyện cũ"),
                ),
                (
                    "former_province",
                    models.CharField(blank=True, max_length=100, verbose_name="tỉnh cũ"),
                ),
                (
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="communes",
                        to="participants.office",
                        verbose_name="BHXH cơ sở",
                    ),
                ),
            ],
            options={
                "verbose_name": "xã/phường",
                "verbose_name_plural": "xã/phường",
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="employer",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="employers",
                to="participants.commune",
                verbose_name="xã/phường",
            ),
        ),
    ]
