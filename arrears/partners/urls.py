from django.urls import path

from arrears.partners import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/mo/", views.inbox_open, name="inbox_open"),
]
