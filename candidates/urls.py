from django.urls import path

from candidates import views

app_name = "candidates"
urlpatterns = [
    path("parties/", views.party_list, name="party_list"),
    path("parties/<int:pk>/", views.party_detail, name="party_detail"),
    path("public/parties/", views.public_party_list, name="public_parties"),
]
