from rest_framework.routers import DefaultRouter

from media_accreditation.api import views

router = DefaultRouter()
router.register("media-outlets", views.MediaOutletViewSet, basename="media-outlet")
router.register("journalists", views.JournalistViewSet, basename="journalist")
router.register("media-accreditations", views.MediaAccreditationViewSet, basename="media-accreditation")
urlpatterns = router.urls
