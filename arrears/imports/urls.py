from django.urls import path

from arrears.imports import views

urlpatterns = [
    path("", views.import_statement, name="import_statement"),
    path("nen/<int:pk>/", views.import_status, name="import_status"),
    path("mau/<slug:statement>.xlsx", views.import_template, name="import_template"),
]
