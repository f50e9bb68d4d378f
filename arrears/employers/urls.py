from django.urls import path

from arrears.employers import picker, views

urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    # Two segments: no unit code (one segment) can take this address.
    path("chon/goi-y/", picker.employer_picker, name="employer_picker"),
    path("<str:unit_code>/", views.employer_detail, name="employer_detail"),
]
