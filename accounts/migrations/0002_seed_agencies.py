from django.db import migrations

# The partner agencies of DOMAIN.md, with the names the province uses; admins may edit them.
AGENCIES = [
    ("police", "Công an tỉnh (Phòng Cảnh sát kinh tế)"),
    ("labour_inspectorate", "Thanh tra Sở Nội vụ"),
    ("labour_federation", "Liên đoàn Lao động tỉnh"),
    ("iz_board", "Ban Quản lý các khu công nghiệp tỉnh"),
    ("tax", "Thuế tỉnh"),
    ("peoples_committee", "Ủy ban nhân dân tỉnh"),
    ("court", "Tòa án nhân dân tỉnh"),
    ("procuracy", "Viện kiểm sát nhân dân tỉnh"),
]


def seed(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for code, name in AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
