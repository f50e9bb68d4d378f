"""Officers serve offices (formerly districts), and may be narrowed to communes; the head of a
grassroots office is a role; partner agencies become organisations of a kind with an area.
The existing agencies become the province-level organisation of their kind (their code stays,
so files that name a kind still reach them)."""

from django.db import migrations, models


def kinds_from_codes(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for agency in Agency.objects.all():
        agency.kind = agency.code
        agency.save(update_fields=["kind"])


KINDS = [
    ("police", "Công an tỉnh"),
    ("labour_inspectorate", "Thanh tra Sở Nội vụ"),
    ("labour_federation", "Liên đoàn Lao động tỉnh"),
    ("iz_board", "Ban Quản lý các khu công nghiệp"),
    ("tax", "Cục Thuế"),
    ("peoples_committee", "Ủy ban nhân dân"),
    ("court", "Tòa án nhân dân"),
    ("procuracy", "Viện kiểm sát nhân dân"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_agencies"),
        ("participants", "0007_offices_and_communes"),
    ]

    operations = [
        migrations.RenameField("user", "districts", "offices"),
        migrations.AddField(
            model_name="user",
            name="communes",
            field=models.ManyToManyField(
                blank=True,
                help_text="Để trống: mọi xã/phường của BHXH cơ sở.",
                related_name="officers",
                to="participants.commune",
                verbose_name="xã/phường phụ trách",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("officer", "Cán bộ thu"),
                    ("office_head", "Lãnh đạo BHXH cơ sở"),
                    ("manager", "Lãnh đạo"),
                    ("liaison", "Cán bộ cơ quan phối hợp"),
                ],
                default="officer",
                max_length=12,
                verbose_name="vai trò",
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="kind",
            field=models.CharField(choices=KINDS, default="police", max_length=24, verbose_name="loại"),
            preserve_default=False,
        ),
        migrations.RunPython(kinds_from_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agency",
            name="code",
            field=models.CharField(max_length=40, unique=True, verbose_name="mã"),
        ),
        migrations.AddField(
            model_name="agency",
            name="communes",
            field=models.ManyToManyField(
                blank=True,
                help_text="Để trống: toàn tỉnh.",
                related_name="agencies",
                to="participants.commune",
                verbose_name="địa bàn",
            ),
        ),
        migrations.AlterModelOptions(
            name="agency",
            options={
                "ordering": ["kind", "name"],
                "verbose_name": "cơ quan phối hợp",
                "verbose_name_plural": "cơ quan phối hợp",
            },
        ),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "police",
                        "labour_inspectorate",
                        "labour_federation",
                        "iz_board",
                        "tax",
                        "peoples_committee",
                        "court",
                        "procuracy",
                    ]
                ),
                name="agency_kind_valid",
            ),
        ),
    ]
