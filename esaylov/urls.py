from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
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
    path("api/v1/", include(api_v1)),  # first: an API request is resolved without trying every page's pattern
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("start/", views.landing, name="landing"),
    path("", include("core.urls")),
    path("", include("elections.urls")),
    path("", include("voters.urls")),
    path("", include("candidates.urls")),
    path("", include("media_accreditation.urls")),
    path("", include("observers.urls")),
    path("", include("incidents.urls")),
    path("", include("results.urls")),
    path("accounts/", include("accounts.urls")),
    # the interface language is a preference, not a change worth guarding against other sites: without a CSRF
    # token to put in, a public page is the same bytes for every signed-out reader (esaylov.pagecache)
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves its start-up script as a file (the Content-Security-Policy allows no inline script)
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
