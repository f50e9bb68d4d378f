from arrears.imports.referrals import import_referrals
from desk.statements.command import StatementCommand


class Command(StatementCommand):
    help = (
        "Nhập danh sách đã chuyển cơ quan phối hợp (unit_code, agency, sent_on, reference, "
        "purpose): mở hồ sơ cho đơn vị chưa có hồ sơ đang mở, ghi đề nghị là đã gửi."
    )
    importer = staticmethod(import_referrals)
