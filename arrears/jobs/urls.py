from django.urls import path

from arrears.jobs import views as job_views

urlpatterns = [
    path("", job_views.job_runs, name="job_runs"),
    path("chay/", job_views.start_run, name="job_run_start"),
    path("<int:pk>/tep/", job_views.run_file, name="job_run_file"),
    path("thu-giay/<str:cycle>/", job_views.post_letters, name="post_letters"),
    path(
        "thu-giay/<str:cycle>/<int:office_id>.pdf",
        job_views.post_letters_pdf,
        name="post_letters_pdf",
    ),
    path("tam-dung/", job_views.holds, name="holds"),
    path("tam-dung/<int:pk>/duyet/", job_views.approve_hold, name="hold_approve"),
]
