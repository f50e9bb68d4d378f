from django.utils.translation import gettext_lazy as _

from arrears.management.commands._job_command import JobCommand
from arrears.models import JobRun


class Command(JobCommand):
    help = _(
        "Danh sách đơn vị chậm đóng, trốn đóng gửi cơ quan quản lý nhà nước, cho quý của --date."
    )
    job = JobRun.Job.QUARTERLY
