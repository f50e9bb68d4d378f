from django.urls import path

from arrears.plans import views

urlpatterns = [path("", views.plans, name="collection_plans")]
