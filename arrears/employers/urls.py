from django.urls import path

from arrears.employers import views

urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    path("<str:unit_code>/", views.employer_detail, name="employer_detail"),
]
