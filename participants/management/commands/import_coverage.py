from desk.statements.command import StatementCommand
from participants.imports.coverage import import_coverage


class Command(StatementCommand):
    help = (
        "Nhập số liệu bao phủ (người tham gia, kế hoạch, lực lượng lao động, dân số) "
        "từ CSV hoặc XLSX; mọi dòng được kiểm tra trước."
    )
    importer = staticmethod(import_coverage)
