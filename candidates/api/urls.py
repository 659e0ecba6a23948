from rest_framework.routers import DefaultRouter

from candidates.api import views

router = DefaultRouter()
router.register("parties", views.PartyViewSet, basename="party")
urlpatterns = router.urls
