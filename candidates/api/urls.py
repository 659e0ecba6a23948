from rest_framework.routers import DefaultRouter

from candidates.api import views

router = DefaultRouter()
router.register("parties", views.PartyViewSet, basename="party")
router.register("nominations", views.NominationViewSet, basename="nomination")
router.register("signature-uploads", views.SignatureUploadViewSet, basename="signature-upload")
router.register("objections", views.ObjectionViewSet, basename="objection")
urlpatterns = router.urls
