from django.urls import path

from observers import views

app_name = "observers"
urlpatterns = [
    path("observers/register/", views.register, name="register"),
    path("observers/me/", views.my_accreditations, name="my_accreditations"),
    path("observers/<int:pk>/photo/", views.observer_photo, name="observer_photo"),
    path("observers/accreditations/<int:pk>/", views.accreditation_detail, name="accreditation_detail"),
    path("observers/accreditations/<int:pk>/badge.pdf", views.badge, name="badge"),
    path("observers/organizations/", views.organization_list, name="organization_list"),
    path("observers/organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("observers/organizations/<int:pk>/bulk/", views.bulk_upload, name="bulk_upload"),
    path("observers/organizations/<int:pk>/bulk/errors.csv", views.bulk_errors, name="bulk_errors"),
    path(
        "observers/organizations/<int:pk>/accreditations/", views.organization_accreditations, name="organization_accreditations"
    ),
    path("observers/queue/", views.queue, name="queue"),
    path("observers/accredited/", views.accredited, name="accredited"),
]
