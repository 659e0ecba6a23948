from django.urls import path
from rest_framework.routers import DefaultRouter

from voters.api import views

router = DefaultRouter()
router.register("voters", views.VoterViewSet, basename="voter")
router.register("imports", views.ImportViewSet, basename="import")
router.register("duplicates", views.DuplicateViewSet, basename="duplicate")
router.register("location-requests", views.LocationRequestViewSet, basename="location-request")
urlpatterns = router.urls + [
    path("public/lookup/", views.PublicLookupView.as_view(), name="public-lookup"),
    path("public/location-requests/", views.PublicLocationRequestView.as_view(), name="public-location-request"),
    path("public/ping/", views.PingView.as_view(), name="public-ping"),
]
