from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("don-vi/", include("arrears.urls")),
    path("admin/", admin.site.urls),
]
