from django.urls import path

from arrears.policy import views

urlpatterns = [path("", views.policy_settings, name="policy_settings")]
