from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from desk.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu vào cơ sở dữ liệu mới (mặc định: cơ sở dữ liệu đang cấu "
        "hình); từ chối ghi đè cơ sở dữ liệu đã có dữ liệu trừ khi có --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database-name", help="Khôi phục vào cơ sở dữ liệu tên này.")
        parser.add_argument("--force", action="store_true", help="Xóa và thay cơ sở dữ liệu đã có.")

    def handle(
        self, *args: Any, file: Path, database_name: str | None, force: bool, **options: Any
    ) -> None:
        params = connection.get_connection_params()
        if database_name:
            params = params | {"dbname": database_name}
        connection.close()  # the target is dropped and created again: no session of ours on it
        try:
            restore(file, params, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{file} -> {params['dbname']}"))
