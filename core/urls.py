from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("verify/<str:token>/", views.credential_verify, name="credential_verify"),
    path("verify/<str:token>/photo/", views.credential_photo, name="credential_photo"),
]
