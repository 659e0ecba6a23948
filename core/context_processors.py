from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The navigation of the base layout, per role."""
    user = getattr(request, "user", None)
    items = [(reverse("home"), _("Home"))]
    public = [
        (reverse("voters:lookup"), _("Check my registration")),
        (reverse("voters:stay"), _("Vote elsewhere")),
        (reverse("observers:register"), _("Become an observer")),
        (reverse("candidates:public_parties"), _("Parties")),
        (reverse("media_accreditation:public_index"), _("Accredited media")),
    ]
    if user is not None and user.is_authenticated and (not user.requires_two_factor or user.is_verified()):
        if user.is_official:
            items += [
                (reverse("dashboard"), _("Dashboard")),
                (reverse("elections:region_list"), _("Geography")),
                (reverse("elections:election_list"), _("Elections")),
                (reverse("voters:search"), _("Voters")),
                (reverse("voters:counts"), _("Counts")),
                (reverse("voters:requests"), _("Requests")),
                (reverse("voters:duplicates"), _("Duplicates")),
                (reverse("voters:assignment"), _("Assignment")),
                (reverse("candidates:review_queue"), _("Nominations")),
                (reverse("observers:queue"), _("Observer applications")),
                (reverse("observers:accredited"), _("Observers")),
                (reverse("incidents:incident_inbox"), _("Incidents")),
                (reverse("results:home"), _("Results")),
            ]
            if user.is_cec:
                items.append((reverse("voters:imports"), _("Imports")))
                items.append((reverse("candidates:party_list"), _("Parties")))
                items.append((reverse("observers:organization_list"), _("Observer organisations")))
                items.append((reverse("media_accreditation:review_queue"), _("Media accreditation")))
                items.append((reverse("media_accreditation:outlet_list"), _("Media outlets")))
        elif user.role == "party_rep":
            items.append((reverse("candidates:party_list"), _("My party")))
        elif user.role == "observer_coordinator":
            items.append((reverse("observers:organization_list"), _("My organisation")))
        elif user.role == "observer":
            items.append((reverse("observers:my_accreditations"), _("My accreditations")))
            items.append((reverse("incidents:my_incidents"), _("My incident reports")))
            items.append((reverse("results:copies"), _("Protocol copies")))
        elif user.role == "media_editor":
            items.append((reverse("media_accreditation:outlet_list"), _("My outlet")))
        elif user.role == "journalist":
            items.append((reverse("media_accreditation:my_accreditations"), _("My accreditations")))
            items.append((reverse("incidents:my_incidents"), _("My incident reports")))
        if user.is_staff or user.is_superuser:
            items.append((reverse("admin:index"), _("Administration")))
        items.append((reverse("api-docs"), _("API")))
    else:
        items += public
    return {"nav_items": items, "LANGUAGES": settings.LANGUAGES}
