from django.urls import path

from arrears.employers import picker, views
from arrears.interest import views as interest

urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    # Two segments: no unit code (one segment) can take this address.
    path("chon/goi-y/", picker.employer_picker, name="employer_picker"),
    path("<str:unit_code>/", views.employer_detail, name="employer_detail"),
    path(
        "<str:unit_code>/chuyen-sang-tien-lai/",
        interest.credit_to_interest,
        name="employer_credit_to_interest",
    ),
]
