from django.urls import path

from participants import views

urlpatterns = [
    path("", views.office_list, name="office_list"),
    path("<str:office_code>/", views.office_detail, name="office_detail"),
]
