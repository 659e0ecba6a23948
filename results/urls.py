from django.urls import path

from results import public, views

app_name = "results"
urlpatterns = [
    path("results/", views.results_home, name="home"),
    path("results/enter/<int:constituency_id>/<int:precinct_id>/", views.protocol_enter, name="protocol_enter"),
    path("results/protocols/<int:pk>/", views.protocol_detail, name="protocol_detail"),
    path("results/protocols/<int:pk>/print/", views.protocol_print, name="protocol_print"),
    path("results/protocols/<int:pk>/scans/", views.protocol_scan, name="protocol_scan"),
    path("results/protocols/<int:pk>/scans/<int:scan_pk>/", views.protocol_scan_file, name="protocol_scan_file"),
    path("results/protocols/<int:pk>/qr-check/", views.protocol_qr_check, name="protocol_qr_check"),
    path("results/turnout/<int:precinct_id>/", views.turnout_enter, name="turnout_enter"),
    path("results/copies/", views.copies, name="copies"),
    path("results/copies/new/<int:constituency_id>/<int:precinct_id>/", views.copy_new, name="copy_new"),
    path("results/seats/<int:constituency_id>/", views.seats, name="seats"),
    path("results/seats/<int:constituency_id>/pdf/", views.seats_pdf, name="seats_pdf"),
    path("public/elections/<int:election_id>/results/", views.public_results, name="public_results"),
    path("public/protocols/<int:pk>/scan/", views.public_protocol_scan, name="public_protocol_scan"),
    path("public/seats/<int:constituency_id>/", views.public_seats, name="public_seats"),
    path("public/seats/<int:constituency_id>/pdf/", views.public_seats_pdf, name="public_seats_pdf"),
    path("public/elections/<int:election_id>/results.csv", public.results_csv, name="public_results_csv"),
    path("public/elections/<int:election_id>/results.json", public.results_json, name="public_results_json"),
    path("public/elections/<int:election_id>/results.nist.json", public.results_nist, name="public_results_nist"),
    path("public/elections/<int:election_id>/results.atom", public.PublishedProtocolsFeed(), name="public_results_feed"),
]
