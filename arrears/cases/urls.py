from django.urls import include, path

from arrears.cases import actions, files, views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("bang/", views.case_board, name="case_board"),
    path("tuan-nay/", views.case_week, name="case_week"),
    path("mo/<str:unit_code>/", actions.case_open, name="case_open"),
    path("mau-van-ban/", include("arrears.documents.urls")),
    path("", include("arrears.workload.urls")),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/dien-bien/", actions.case_log_event, name="case_log_event"),
    path("<int:pk>/chuyen-buoc/", actions.case_move, name="case_move"),
    path("<int:pk>/da-thu-hoi/", actions.case_resolve, name="case_resolve"),
    path("<int:pk>/duyet-cong-an/", actions.case_approve_criminal, name="case_approve_criminal"),
    path("<int:pk>/muc-phat/", actions.case_fines, name="case_fines"),
    path("<int:pk>/chuyen-co-quan/", actions.case_refer, name="case_refer"),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/ho-so/<str:item>/",
        actions.case_dossier_upload,
        name="case_dossier_upload",
    ),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/duyet/",
        actions.case_referral_approve,
        name="case_referral_approve",
    ),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/gui/",
        actions.case_referral_send,
        name="case_referral_send",
    ),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/phan-hoi/",
        actions.case_referral_answer,
        name="case_referral_answer",
    ),
    path(
        "<int:pk>/chuyen-co-quan/<int:referral_pk>/van-ban/",
        files.case_referral_letter,
        name="case_referral_letter",
    ),
    path("<int:pk>/cam-ket/", actions.case_commit, name="case_commit"),
    path("<int:pk>/bat-kha-khang/", actions.case_claim, name="case_claim"),
    path(
        "<int:pk>/bat-kha-khang/<int:claim_pk>/quyet-dinh/",
        actions.case_claim_decide,
        name="case_claim_decide",
    ),
    path(
        "<int:pk>/bat-kha-khang/<int:claim_pk>/tai-lieu/",
        files.case_claim_proof,
        name="case_claim_proof",
    ),
    path("<int:pk>/tep/<int:attachment_pk>/", files.case_attachment, name="case_attachment"),
    path(
        "<int:pk>/dien-bien/<int:event_pk>/bien-ban/",
        files.case_issue_minutes,
        name="case_issue_minutes",
    ),
    path("<int:pk>/van-ban/<str:kind>/", files.case_document, name="case_document"),
    path(
        "<int:pk>/van-ban/<str:kind>/ban-hanh/",
        files.case_issue_document,
        name="case_issue_document",
    ),
]
