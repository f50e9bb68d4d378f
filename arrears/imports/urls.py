from django.urls import path

from arrears.imports import views as import_views

urlpatterns = [
    path("", import_views.import_statement, name="import_statement"),
]
