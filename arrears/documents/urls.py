from django.urls import path

from arrears.documents import views

# Included under the cases' URLs (ho-so/mau-van-ban/), names as they were.
urlpatterns = [
    path("", views.template_list, name="case_templates"),
    path("<str:kind>/", views.template_edit, name="case_template_edit"),
    path("<str:kind>/mac-dinh/", views.template_reset, name="case_template_reset"),
    path("<str:kind>/xem-thu/", views.template_preview, name="case_template_preview"),
]
