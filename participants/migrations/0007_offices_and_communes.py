"""The map since 1 July 2025: every district becomes a grassroots office (BHXH cơ sở) under the
provincial office, with its employers, officers and coverage figures; communes are added.

Renames keep every row and every key, so balances, cases and scopes are as they were; the
provincial office is added as the root; the report printed says what became of what.
Reversible where the data allows: going back drops the provincial office and the new columns
and renames the offices back to districts, and refuses, saying why, when something would be
lost (``refuse_lossy_return``).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError

from desk.text import fold

PROVINCE_CODE = "TINH"


def office_code(name: str, taken: set[str]) -> str:
    """A code from the office's name, as ``participants.models.office_code`` makes it (its
    words, diacritics-free and upper-case, joined), numbered when two names give the same."""
    base = "_".join(fold(name).upper().split())[:20] or "BHXH"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base[:17]}_{n}"
    taken.add(code)
    return code


def districts_to_offices(apps, schema_editor):
    Office = apps.get_model("participants", "Office")
    taken = {PROVINCE_CODE}
    offices = list(Office.objects.order_by("pk"))
    for office in offices:
        office.code = office_code(office.name, taken)
        office.kind = "grassroots"
        office.save(update_fields=["code", "kind"])
    province = province_name(Office)
    Office.objects.create(code=PROVINCE_CODE, name=province, kind="province")
    if offices:
        print(report(apps, offices, province))


def province_name(Office) -> str:
    """The settings' name for the provincial office, unless a district already has it."""
    name = settings.OFFICE_NAME
    while Office.objects.filter(name=name).exists():
        name = f"{name} (tỉnh)"
    return name


def report(apps, offices, province: str) -> str:
    """The migration's report: what became of the district-era data."""
    count = {
        "employers": apps.get_model("participants", "Employer").objects.count(),
        "cases": apps.get_model("arrears", "RecoveryCase").objects.count(),
        "officers": apps.get_model("participants", "Office").officers.through.objects.count(),
        "figures": apps.get_model("participants", "CoverageFigure")
        .objects.exclude(office=None)
        .count(),
        "letters": apps.get_model("arrears", "Reminder").objects.count(),
    }
    lines = [
        f"{len(offices)} districts became grassroots offices (same rows, same names):",
        *(f"    {office.name} = {office.code}" for office in offices),
        f"  provincial office «{province}» = {PROVINCE_CODE} added as the root;",
        f"  {count['employers']} employers ({count['cases']} recovery cases), "
        f"{count['officers']} officer assignments, {count['figures']} coverage figures by "
        f"district and {count['letters']} letters and notices follow their office.",
    ]
    return "\n  " + "\n  ".join(lines)


def drop_province(apps, schema_editor):
    # Plain SQL: the historical models' orderings still name the old field at this point.
    # Keys checked now, not at commit: the table is altered next in the same transaction (a
    # row still on the provincial office that refuse_lossy_return missed stops the way back).
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("DELETE FROM participants_office WHERE kind = %s", ["province"])
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def refuse_lossy_return(apps, schema_editor):
    """Going back to districts refuses, saying why, when data has no place there: communes,
    anything on the provincial office, an office's address, phone, head or own code."""
    Office = apps.get_model("participants", "Office")
    lost = []
    communes = apps.get_model("participants", "Commune").objects.count()
    if communes:
        lost.append(f"{communes} communes")
    province = Office.objects.filter(kind="province").first()
    if province:
        on_province = {
            "employers": apps.get_model("participants", "Employer").objects.filter(office=province),
            "coverage figures": apps.get_model("participants", "CoverageFigure").objects.filter(
                office=province
            ),
            "officers": province.officers.all(),
            "employer history rows": apps.get_model("participants", "EmployerEvent").objects.filter(
                office_id=province.pk
            ),
        }
        on_province = {what: rows.count() for what, rows in on_province.items()}
        lost += [f"{n} {what} on the provincial office" for what, n in on_province.items() if n]
    offices = list(Office.objects.order_by("pk"))
    described = [o.name for o in offices if o.address or o.phone or o.head_id]
    if described:
        lost.append(f"the address, phone or head of {', '.join(described)}")
    taken = {PROVINCE_CODE}
    grassroots = [o for o in offices if o.kind == "grassroots"]
    recoded = [o.name for o in grassroots if o.code != office_code(o.name, taken)]
    if recoded:
        lost.append(f"the codes of {', '.join(recoded)} (going forward again makes others)")
    if lost:
        raise IrreversibleError(
            "Cannot go back to districts: they have no place for "
            + "; ".join(lost)
            + ". Move or remove these first, or stay on offices."
        )


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
        # Last, so that going back checks first.
        migrations.RunPython(migrations.RunPython.noop, refuse_lossy_return),
    ]
