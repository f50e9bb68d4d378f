from django.urls import path

from arrears.insured import views as worker_views

urlpatterns = [
    path("", worker_views.worker_lookup, name="worker_lookup"),
    path("<str:number>/", worker_views.worker_detail, name="worker_detail"),
    path("<str:number>/pdf/", worker_views.worker_pdf, name="worker_pdf"),
]
