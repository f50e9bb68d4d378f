from arrears.management.commands._job_command import JobCommand
from arrears.models import JobRun


class Command(JobCommand):
    help = "Danh sách đơn vị chậm đóng, trốn đóng gửi cơ quan quản lý nhà nước, cho quý của --date."
    job = JobRun.Job.QUARTERLY
