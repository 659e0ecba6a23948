from django.urls import path

from incidents import views

app_name = "incidents"
urlpatterns = [
    path("incidents/new/", views.incident_new, name="incident_new"),
    path("incidents/mine/", views.my_incidents, name="my_incidents"),
    path("incidents/", views.incident_inbox, name="incident_inbox"),
    path("incidents/overview/", views.incident_overview, name="incident_overview"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/photos/<int:photo_pk>/", views.incident_photo, name="incident_photo"),
]
