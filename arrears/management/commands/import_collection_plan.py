from arrears.plans.imports import import_collection_plan
from desk.statements.command import StatementCommand


class Command(StatementCommand):
    help = (
        "Nhập kế hoạch thu của các BHXH cơ sở (office, year, month, amount) từ tệp CSV (UTF-8) "
        "hoặc XLSX; mọi dòng được kiểm tra trước."
    )
    importer = staticmethod(import_collection_plan)
