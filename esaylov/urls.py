from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api.views import MeView, TokenView
from esaylov import views

api_v1 = [
    path("", include("elections.api.urls")),
    path("", include("voters.api.urls")),
    path("", include("candidates.api.urls")),
    path("", include("media_accreditation.api.urls")),
    path("", include("observers.api.urls")),
    path("", include("incidents.api.urls")),
    path("", include("results.api.urls")),
    path("me/", MeView.as_view(), name="api-me"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("", include("core.urls")),
    path("", include("elections.urls")),
    path("", include("voters.urls")),
    path("", include("candidates.urls")),
    path("", include("media_accreditation.urls")),
    path("", include("observers.urls")),
    path("", include("incidents.urls")),
    path("", include("results.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves its start-up script as a file (the Content-Security-Policy allows no inline script)
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
