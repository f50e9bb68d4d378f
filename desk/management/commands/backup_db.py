from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from desk.backup import BackupError, conninfo, dump


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (pg_dump -Fc) vào .data/backups/arrears-<thời điểm>.dump."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="Tệp đích (mặc định .data/backups/...).")

    def handle(self, *args: Any, out: Path | None, **options: Any) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = out or Path(settings.DATA_DIR) / "backups" / f"arrears-{stamp}.dump"
        try:
            dump(conninfo(connection.get_connection_params()), path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{path} ({path.stat().st_size:,} bytes)"))
