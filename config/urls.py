from django.contrib import admin
from django.urls import include, path

from reports.views import home, verify_certificate

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("don-vi/", include("arrears.employers.urls")),
    path("viec-dinh-ky/", include("arrears.jobs.urls")),
    path("ho-so/", include("arrears.cases.urls")),
    path("buoi-lam-viec/", include("arrears.sessions.urls")),
    path("nhap-du-lieu/", include("arrears.imports.urls")),
    path("nguoi-lao-dong/", include("arrears.insured.urls")),
    path("ke-hoach-thu/", include("arrears.plans.urls")),
    path("co-so/", include("participants.urls")),
    path("bao-cao/", include("reports.urls")),
    path("nhat-ky/", include("audit.urls")),
    path("hop-thu/", include("arrears.partners.urls")),
    path("so-van-ban/", include("arrears.register.urls")),
    path("cai-dat/", include("arrears.policy.urls")),
    # Public: anyone holding a certificate checks its code (its QR leads here).
    path("xac-minh/<str:code>/", verify_certificate, name="verify_certificate"),
    path("admin/", admin.site.urls),
]
