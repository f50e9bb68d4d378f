from django.urls import path

from reports import views
from reports.registry import REPORTS
from reports.summary.views import summary_page

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("danh-sach/", views.report_index, name="report_index"),
    path("bao-phu/", views.coverage_report, name="coverage_report"),
    path("tong-hop/", summary_page, name="province_summary"),
    path("xuat/<int:pk>/", views.export_status, name="export_status"),
    path("xuat/<int:pk>/tai-ve/", views.export_download, name="export_download"),
    path("giay-xac-nhan/", views.certificates, name="certificates"),
    path("giay-xac-nhan/<int:pk>/", views.certificate_file, name="certificate_file"),
    # One page per report of the registry: /bao-cao/tuoi-no/ is report_aging.
    *(
        path(f"{report.slug}/", views.report_page, {"name": name}, name=f"report_{name}")
        for name, report in REPORTS.items()
        if report.slug
    ),
]
