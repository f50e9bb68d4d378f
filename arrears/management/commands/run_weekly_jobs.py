from arrears.management.commands._job_command import JobCommand
from arrears.models import JobRun


class Command(JobCommand):
    help = (
        "Việc hằng tuần (thông báo đôn đốc, giấy mời, hồ sơ tự động, cam kết, thư tổng hợp) "
        "cho tuần của --date."
    )
    job = JobRun.Job.WEEKLY
