from desk.statements.command import StatementCommand
from participants.imports.communes import import_communes


class Command(StatementCommand):
    help = (
        "Nhập danh mục xã/phường và BHXH cơ sở phục vụ từ tệp CSV (UTF-8) hoặc XLSX; mọi dòng "
        "được kiểm tra trước."
    )
    importer = staticmethod(import_communes)
