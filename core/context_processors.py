from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The navigation of the base layout, per role."""
    user = getattr(request, "user", None)
    items = [(reverse("core:home"), _("Home"))]
    if user is not None and user.is_authenticated and (not user.requires_two_factor or user.is_verified()):
        if user.is_official:
            items += [
                (reverse("core:dashboard"), _("Dashboard")),
                (reverse("elections:region_list"), _("Geography")),
                (reverse("elections:election_list"), _("Elections")),
            ]
        if user.is_staff or user.is_superuser:
            items.append((reverse("admin:index"), _("Administration")))
        items.append((reverse("api-docs"), _("API")))
    return {"nav_items": items, "LANGUAGES": settings.LANGUAGES}
