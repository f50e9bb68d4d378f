from desk.statements.command import StatementCommand
from participants.imports.employers import import_employers


class Command(StatementCommand):
    help = "Nhập danh sách đơn vị từ tệp CSV (UTF-8) hoặc XLSX; mọi dòng được kiểm tra trước."
    importer = staticmethod(import_employers)
