from arrears.imports.contributions import import_contributions
from desk.statements.command import StatementCommand


class Command(StatementCommand):
    help = "Nhập số phải đóng từ tệp CSV (UTF-8) hoặc XLSX; mọi dòng được kiểm tra trước."
    importer = staticmethod(import_contributions)
