from django.urls import path

from arrears.register import views

urlpatterns = [
    path("", views.document_register, name="document_register"),
    path("<int:pk>/tep/", views.register_file, name="register_file"),
]
