"""Officers serve offices (formerly districts), and may be narrowed to communes; the head of a
grassroots office is a role; partner agencies become organisations of a kind with an area.
The existing agencies become the province-level organisation of their kind (their code stays,
so files that name a kind still reach them)."""

from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError


def kinds_from_codes(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for agency in Agency.objects.all():
        agency.kind = agency.code
        agency.save(update_fields=["kind"])


def refuse_lossy_return(apps, schema_editor):
    """Going back refuses, saying why, when the role, the narrowing to communes or the
    organisations have no place in the district era (its agencies are one per kind, by code)."""
    User = apps.get_model("accounts", "User")
    Agency = apps.get_model("accounts", "Agency")
    lost = []
    heads = list(User.objects.filter(role="office_head").values_list("username", flat=True))
    if heads:
        lost.append(f"office heads ({', '.join(heads)})")
    narrowed = list(
        User.objects.filter(communes__isnull=False).distinct().values_list("username", flat=True)
    )
    if narrowed:
        lost.append(f"officers narrowed to communes ({', '.join(narrowed)})")
    with_area = list(
        Agency.objects.filter(communes__isnull=False).distinct().values_list("code", flat=True)
    )
    if with_area:
        lost.append(f"organisations with an area ({', '.join(with_area)})")
    # The kind is one of KINDS (a check constraint): a code that is not its kind is a second
    # organisation of that kind.
    beyond = list(Agency.objects.exclude(code=models.F("kind")).values_list("code", flat=True))
    if beyond:
        lost.append(f"organisations beyond the province-level one of a kind ({', '.join(beyond)})")
    if lost:
        raise IrreversibleError(
            "Cannot go back to districts: they have no place for "
            + "; ".join(lost)
            + ". Change or remove these first, or stay on offices."
        )


KINDS = [
    ("police", "Công an"),
    ("labour_inspectorate", "Thanh tra Sở Nội vụ"),
    ("labour_federation", "Công đoàn"),
    ("iz_board", "Ban Quản lý các khu công nghiệp"),
    ("tax", "Cơ quan thuế"),
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
                    ("manager", "Lãnh đạo BHXH tỉnh"),
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
            field=models.CharField(
                choices=KINDS, default="police", max_length=24, verbose_name="loại"
            ),
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
        # Last, so that going back checks first.
        migrations.RunPython(migrations.RunPython.noop, refuse_lossy_return),
    ]
