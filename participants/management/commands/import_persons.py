from desk.statements.command import StatementCommand
from participants.imports.persons import import_persons


class Command(StatementCommand):
    help = (
        "Nhập danh sách người lao động từ tệp CSV (UTF-8) hoặc XLSX; mọi dòng được kiểm tra trước."
    )
    importer = staticmethod(import_persons)
