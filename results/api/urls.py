from django.urls import path
from rest_framework.routers import DefaultRouter

from results.api import views

router = DefaultRouter()
router.register("turnout", views.TurnoutViewSet, basename="turnout")
router.register("protocols", views.ProtocolViewSet, basename="protocol")
router.register("protocol-corrections", views.CorrectionViewSet, basename="protocol-correction")
urlpatterns = [
    path("protocol-entries/", views.ProtocolEntryView.as_view(), name="protocol-entry"),
    path("public/elections/<int:election_id>/results/", views.PublicResultsView.as_view(), name="public-results"),
    *router.urls,
]
