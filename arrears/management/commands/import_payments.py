from arrears.imports.payments import import_payments
from desk.statements.command import StatementCommand


class Command(StatementCommand):
    help = "Nhập các khoản nộp từ tệp CSV (UTF-8) hoặc XLSX; mọi dòng được kiểm tra trước."
    importer = staticmethod(import_payments)
