from rest_framework.routers import DefaultRouter

from observers.api import views

router = DefaultRouter()
router.register("observer-organizations", views.ObserverOrganizationViewSet, basename="observer-organization")
router.register("observers", views.ObserverViewSet, basename="observer")
router.register("observer-accreditations", views.ObserverAccreditationViewSet, basename="observer-accreditation")
urlpatterns = router.urls
