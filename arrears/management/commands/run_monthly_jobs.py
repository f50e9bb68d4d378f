from arrears.management.commands._job_command import JobCommand
from arrears.models import JobRun


class Command(JobCommand):
    help = "Văn bản đề nghị đóng hằng tháng (Nghị định 274) cho tháng của --date."
    job = JobRun.Job.MONTHLY
