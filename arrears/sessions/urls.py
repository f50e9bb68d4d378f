from django.urls import path

from arrears.sessions import views

urlpatterns = [
    path("", views.session_calendar, name="session_calendar"),
    path("hom-nay/", views.session_today, name="session_today"),
    path("co-so/<int:office_id>/ngay/<str:day>/", views.session_day, name="session_day"),
    path("co-so/<int:office_id>/them-buoi/", views.session_slot_add, name="session_slot_add"),
    path(
        "co-so/<int:office_id>/them-lich-tuan/",
        views.session_pattern_add,
        name="session_pattern_add",
    ),
    path("co-so/<int:office_id>/ngay-nghi/", views.office_holidays, name="office_holidays"),
    path("ngay-nghi/<int:pk>/xoa/", views.holiday_delete, name="holiday_delete"),
    path("buoi/<int:pk>/xep-lich/", views.session_book, name="session_book"),
    path("lich/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("lich/<int:pk>/phan-hoi/", views.booking_reply, name="booking_reply"),
    path("lich/<int:pk>/chuyen/", views.booking_move, name="booking_move"),
    path("lich/<int:pk>/huy/", views.booking_cancel, name="booking_cancel"),
    path("lich/<int:pk>/diem-danh/", views.booking_attendance, name="booking_attendance"),
    path("lich/<int:pk>/bien-ban/", views.booking_minutes, name="booking_minutes"),
    path("lich/<int:pk>/bien-ban/ky/", views.booking_sign, name="booking_sign"),
    path("lich/<int:pk>/bien-ban.pdf", views.booking_minutes_pdf, name="booking_minutes_pdf"),
    path("de-xuat/<int:pk>/", views.proposal_decide, name="proposal_decide"),
]
