from rest_framework.routers import DefaultRouter

from elections.api import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("mahallas", views.MahallaViewSet, basename="mahalla")
router.register("precincts", views.PrecinctViewSet, basename="precinct")
router.register("elections", views.ElectionViewSet, basename="election")
router.register("commissions", views.CommissionViewSet, basename="commission")
urlpatterns = router.urls
