from django.urls import path

from arrears.insured import views

urlpatterns = [
    path("", views.insured_lookup, name="insured_lookup"),
    path("<str:number>/", views.insured_detail, name="insured_detail"),
    path("<str:number>/pdf/", views.insured_pdf, name="insured_pdf"),
]
