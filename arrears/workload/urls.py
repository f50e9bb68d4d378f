from django.urls import path

from arrears.workload import views

urlpatterns = [
    path("hang-loat/<str:source>/", views.bulk_action, name="bulk_action"),
    path("ban-giao/", views.hand_overs, name="hand_overs"),
    path("cho-duyet/", views.stage_requests, name="stage_requests"),
    path("cho-duyet/<int:pk>/", views.stage_request_decide, name="stage_request_decide"),
    path("mo/<str:unit_code>/giao/", views.case_open_for, name="case_open_for"),
    path("<int:pk>/giao/", views.case_assign, name="case_assign"),
]
