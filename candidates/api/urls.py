from rest_framework.routers import DefaultRouter

from candidates.api import views

router = DefaultRouter()
router.register("parties", views.PartyViewSet, basename="party")
router.register("nominations", views.NominationViewSet, basename="nomination")
urlpatterns = router.urls
