from django.urls import path

from elections import views

app_name = "elections"
urlpatterns = [
    path("geography/", views.region_list, name="region_list"),
    path("geography/regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("geography/districts/<int:pk>/", views.district_detail, name="district_detail"),
    path("geography/precincts/<int:pk>/", views.precinct_detail, name="precinct_detail"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission_detail"),
    path("elections/", views.election_list, name="election_list"),
    path("elections/<int:pk>/", views.election_detail, name="election_detail"),
]
