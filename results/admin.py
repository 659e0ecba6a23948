"""The count in the Django admin: shown to administrators, never written there.

Every row of the results app is written by ``results.services`` (who may act, the control relations, the double
entry, versions, the audit event), so the admin offers no add, change or delete (``ServiceOnlyAdminMixin``).  A
protocol version could not be changed here anyway: the database refuses every UPDATE and DELETE of
``results_protocolversion`` (migration 0002).  Figures are shown line by line with their labels.  Lists filter
by election and status and search by precinct number; files (signed scans, observers' photos) are left out, as
they leave the server only through the scoped pages.
"""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import ServiceOnlyAdminMixin
from results import protocol as rules
from results.models import (
    ObserverProtocolCopy,
    Protocol,
    ProtocolCorrection,
    ProtocolEntry,
    ProtocolScan,
    ProtocolVersion,
    SeatCalculation,
    TurnoutPublication,
    TurnoutReport,
)
from results.selectors import contest_lines

#: Search by precinct number (cast to text, so a word never breaks the search) or code.
PRECINCT_SEARCH = ("precinct__number__exact", "precinct__code")


def figures_table(figures: dict | None, constituency) -> str:
    """A protocol's figures as an HTML table in the printed order, each line with its label."""
    figures = figures or {}
    lines = [(key, str(label)) for key, label in rules.LINES] + list(contest_lines(constituency))
    known = {key for key, _label in lines}
    lines += [(key, key) for key in sorted(figures) if key not in known]
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td style="text-align:right">{}</td></tr>',
        ((label, figures.get(key, "—")) for key, label in lines if key in figures),
    )
    return format_html("<table><tbody>{}</tbody></table>", rows)


class ResultsAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    """Rows of the count change only through ``results.services``: no add, change or delete here."""

    list_per_page = 50


class ProtocolVersionInline(admin.TabularInline):
    model = ProtocolVersion
    fields = ("number", "kind", "checksum", "reason", "author", "approver", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Protocol)
class ProtocolAdmin(ResultsAdmin):
    list_display = ("precinct", "district", "constituency", "election", "status", "version", "status_changed_at")
    list_filter = ("election", "status", "constituency__kind")
    search_fields = PRECINCT_SEARCH
    list_select_related = ("precinct__district", "constituency", "election", "current")
    fields = ("election", "constituency", "precinct", "status", "status_changed_at", "current", "current_figures")
    readonly_fields = ("current_figures",)
    inlines = [ProtocolVersionInline]

    @admin.display(description=_("district"), ordering="precinct__district__code")
    def district(self, obj):
        return obj.precinct.district

    @admin.display(description=_("version"), ordering="current__number")
    def version(self, obj):
        return obj.current.number if obj.current else "—"

    @admin.display(description=_("figures of the current version"))
    def current_figures(self, obj):
        return figures_table(obj.current.figures, obj.constituency) if obj.current else "—"


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(ResultsAdmin):
    """Versions are never edited: no form here, and the database refuses an UPDATE or DELETE whatever the caller."""

    list_display = ("protocol", "number", "kind", "checksum", "author", "approver", "created_at")
    list_filter = ("protocol__election", "kind", "protocol__status")
    search_fields = ("protocol__precinct__number__exact", "protocol__precinct__code", "checksum")
    list_select_related = ("protocol__precinct", "protocol__constituency", "author", "approver")
    fields = ("protocol", "number", "kind", "checksum", "reason", "author", "approver", "created_at", "figures_lines")
    readonly_fields = ("figures_lines",)

    @admin.display(description=_("figures"))
    def figures_lines(self, obj):
        return figures_table(obj.figures, obj.protocol.constituency)


@admin.register(ProtocolEntry)
class ProtocolEntryAdmin(ResultsAdmin):
    """A member's blind entry: its figures are shown once its round is decided (matched or not), never while it
    waits for the second member."""

    list_display = ("precinct", "constituency", "round", "entered_by", "outcome", "created_at")
    list_filter = ("constituency__election", "outcome")
    search_fields = PRECINCT_SEARCH
    list_select_related = ("precinct", "constituency", "entered_by")
    readonly_fields = ("figures_lines",)

    def get_fields(self, request, obj=None):
        fields = ["constituency", "precinct", "round", "entered_by", "created_at", "outcome", "mismatched_fields"]
        if obj is not None and obj.outcome != ProtocolEntry.Outcome.WAITING:
            fields.append("figures_lines")
        return fields

    @admin.display(description=_("figures"))
    def figures_lines(self, obj):
        return figures_table(obj.figures, obj.constituency)


@admin.register(ProtocolCorrection)
class ProtocolCorrectionAdmin(ResultsAdmin):
    list_display = ("protocol", "recount", "opened_by", "opened_at", "version")
    list_filter = ("protocol__election", "recount", ("version", admin.EmptyFieldListFilter))
    search_fields = ("protocol__precinct__number__exact", "protocol__precinct__code")
    list_select_related = ("protocol__precinct", "protocol__constituency", "opened_by", "version")
    fields = ("protocol", "recount", "reason", "opened_by", "opened_at", "version", "figures_lines")
    readonly_fields = ("figures_lines",)

    @admin.display(description=_("proposed figures"))
    def figures_lines(self, obj):
        return figures_table(obj.figures, obj.protocol.constituency)


@admin.register(ProtocolScan)
class ProtocolScanAdmin(ResultsAdmin):
    list_display = ("version", "content_type", "sha256", "uploaded_by", "uploaded_at")
    list_filter = ("version__protocol__election", "content_type")
    search_fields = ("version__protocol__precinct__number__exact", "version__protocol__precinct__code", "sha256")
    list_select_related = ("version__protocol__precinct", "version__protocol__constituency", "uploaded_by")
    exclude = ("file",)


@admin.register(TurnoutReport)
class TurnoutReportAdmin(ResultsAdmin):
    list_display = (
        "precinct",
        "election",
        "at",
        "voted_station",
        "voted_early",
        "voted_home",
        "on_list",
        "corrections",
        "entered_at",
    )
    list_filter = ("election", "at")
    search_fields = PRECINCT_SEARCH
    list_select_related = ("precinct", "election")


@admin.register(TurnoutPublication)
class TurnoutPublicationAdmin(ResultsAdmin):
    list_display = ("election", "at", "published_by", "published_at")
    list_filter = ("election",)


@admin.register(SeatCalculation)
class SeatCalculationAdmin(ResultsAdmin):
    list_display = ("constituency", "election", "outcome", "method", "seed", "calculated_at", "published_at")
    list_filter = ("election", "outcome", "method", ("published_at", admin.EmptyFieldListFilter))
    search_fields = ("constituency__number__exact",)
    list_select_related = ("constituency", "election")


@admin.register(ObserverProtocolCopy)
class ObserverProtocolCopyAdmin(ResultsAdmin):
    list_display = ("precinct", "constituency", "observer", "organization", "created_at")
    list_filter = ("constituency__election", "organization")
    search_fields = PRECINCT_SEARCH
    list_select_related = ("precinct", "constituency", "observer", "organization")
    exclude = ("photo",)
    readonly_fields = ("figures_lines",)

    @admin.display(description=_("figures on the copy"))
    def figures_lines(self, obj):
        return figures_table(obj.figures, obj.constituency)
