from django.urls import path

from voters import views

app_name = "voters"
urlpatterns = [
    path("voters/", views.search, name="search"),
    path("voters/<int:pk>/", views.detail, name="detail"),
    path("voters/<int:pk>/edit/", views.edit, name="edit"),
    path("voters/<int:pk>/status/", views.change_status, name="status"),
    path("voters/<int:pk>/changes/<int:change_id>/document/", views.change_document, name="change_document"),
    path("voters/lists/<int:pk>/", views.precinct_list, name="precinct_list"),
    path("voters/districts/<int:pk>/export/", views.district_export, name="district_export"),
    path("voters/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("voters/exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("voters/counts/", views.counts, name="counts"),
    path("voters/imports/", views.imports, name="imports"),
    path("voters/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("voters/imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("voters/duplicates/", views.duplicates, name="duplicates"),
    path("voters/duplicates/scan/", views.duplicates_scan, name="duplicates_scan"),
    path("voters/duplicates/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
    path("voters/assignment/", views.assignment, name="assignment"),
    path("voters/requests/", views.requests_queue, name="requests"),
    path("voters/requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("check/", views.lookup, name="lookup"),
    path("stay/", views.stay, name="stay"),
    path("stay/track/", views.stay_track, name="stay_track"),
]
