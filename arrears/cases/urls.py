from django.urls import path

from arrears.cases import views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("bang/", views.case_board, name="case_board"),
    path("tuan-nay/", views.case_week, name="case_week"),
    path("mo/<str:unit_code>/", views.case_open, name="case_open"),
    path("mau-van-ban/", views.template_list, name="case_templates"),
    path("mau-van-ban/<str:kind>/", views.template_edit, name="case_template_edit"),
    path("mau-van-ban/<str:kind>/mac-dinh/", views.template_reset, name="case_template_reset"),
    path("mau-van-ban/<str:kind>/xem-thu/", views.template_preview, name="case_template_preview"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/dien-bien/", views.case_log_event, name="case_log_event"),
    path("<int:pk>/chuyen-buoc/", views.case_move, name="case_move"),
    path("<int:pk>/da-thu-hoi/", views.case_resolve, name="case_resolve"),
    path("<int:pk>/duyet-cong-an/", views.case_approve_criminal, name="case_approve_criminal"),
    path("<int:pk>/muc-phat/", views.case_fines, name="case_fines"),
    path("<int:pk>/chuyen-co-quan/", views.case_refer, name="case_refer"),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/ho-so/<str:item>/",
        views.case_dossier_upload,
        name="case_dossier_upload",
    ),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/duyet/",
        views.case_referral_approve,
        name="case_referral_approve",
    ),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/gui/",
        views.case_referral_send,
        name="case_referral_send",
    ),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/phan-hoi/",
        views.case_referral_answer,
        name="case_referral_answer",
    ),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/van-ban/",
        views.case_referral_letter,
        name="case_referral_letter",
    ),
    path("<int:pk>/cam-ket/", views.case_commit, name="case_commit"),
    path("<int:pk>/bat-kha-khang/", views.case_claim, name="case_claim"),
    path(
        "<int:pk>/bat-kha-khang/<int:claim_pk>/quyet-dinh/",
        views.case_claim_decide,
        name="case_claim_decide",
    ),
    path(
        "<int:pk>/bat-kha-khang/<int:claim_pk>/tai-lieu/",
        views.case_claim_proof,
        name="case_claim_proof",
    ),
    path("<int:pk>/tep/<int:attachment_pk>/", views.case_attachment, name="case_attachment"),
    path("<int:pk>/van-ban/<str:kind>/", views.case_document, name="case_document"),
]
