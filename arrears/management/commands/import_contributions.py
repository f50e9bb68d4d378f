from arrears.imports.services import import_contributions
from desk.statements import StatementCommand


class Command(StatementCommand):
    help = "Nhập số phải đóng từ tệp CSV (UTF-8) hoặc XLSX; mọi dòng được kiểm tra trước."
    importer = staticmethod(import_contributions)
