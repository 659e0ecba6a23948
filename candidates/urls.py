from django.urls import path

from candidates import views

app_name = "candidates"
urlpatterns = [
    path("parties/", views.party_list, name="party_list"),
    path("parties/<int:pk>/", views.party_detail, name="party_detail"),
    path("parties/<int:pk>/nominations/", views.party_nominations, name="party_nominations"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/review/", views.review_queue, name="review_queue"),
    path("nominations/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("nominations/<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("nominations/<int:pk>/documents/<int:document_pk>/correction/", views.document_correction, name="document_correction"),
    path("nominations/<int:pk>/signatures/", views.signatures, name="signatures"),
    path("nominations/<int:pk>/signatures/<int:upload_pk>/", views.signatures_detail, name="signatures_detail"),
    path("nominations/<int:pk>/signatures/<int:upload_pk>/report.csv", views.signatures_report, name="signatures_report"),
    path("nominations/<int:pk>/signatures/<int:upload_pk>/report.pdf", views.signatures_report_pdf, name="signatures_report_pdf"),
    path("nominations/<int:pk>/sheets/", views.sheets, name="sheets"),
    path("nominations/<int:pk>/sheets/<int:batch_pk>.pdf", views.sheets_pdf, name="sheets_pdf"),
    path("nominations/<int:pk>/objections/", views.nomination_objections, name="nomination_objections"),
    path("nominations/<int:pk>/objections/new/", views.objection_file, name="objection_file"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("public/parties/", views.public_party_list, name="public_parties"),
    path("public/elections/<int:election_pk>/candidates/", views.public_candidates, name="public_candidates"),
]
