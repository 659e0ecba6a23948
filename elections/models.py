from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.scope import AreaQuerySet
from elections.rules import DEADLINE_KEYS, DEADLINE_RULES, DEADLINE_TIME, DEFAULT_RULES


class RegionQuerySet(AreaQuerySet):
    area_paths = {"region": "pk"}
    reach_paths = {"district": "districts", "precinct": "districts__precincts"}


class DistrictQuerySet(AreaQuerySet):
    area_paths = {"region": "region", "district": "pk"}
    reach_paths = {"precinct": "precincts"}


class MahallaQuerySet(AreaQuerySet):
    area_paths = {"region": "district__region", "district": "district"}
    # a precinct commission browses the mahallas of its district (where its voters live)
    reach_paths = {"precinct": "district__precincts"}


class PrecinctQuerySet(AreaQuerySet):
    area_paths = {"region": "district__region", "district": "district", "precinct": "pk"}


class CommissionQuerySet(AreaQuerySet):
    """A commission is in an area when the area it covers is (a district commission in a regional one's)."""

    area_paths = {
        "region": ("region", "district__region", "precinct__district__region"),
        "district": ("district", "precinct__district"),
        "precinct": "precinct",
    }


#: The name column of each interface language (Uzbek Latin for any other).
NAME_FIELDS = {"uz": "name_uz", "uz-cyrl": "name_uz_cyrl", "ru": "name_ru", "en": "name_en"}


def name_field(lang: str | None = None) -> str:
    """The name column of ``lang`` (the active language by default)."""
    return NAME_FIELDS.get((lang or get_language() or "uz").lower(), "name_uz")


def localized_name(path: str = "", lang: str | None = None) -> models.Expression:
    """``LocalizedNameMixin.name`` in SQL, for ``values()`` and ``order_by()``: the name of the row at ``path``
    (``"district__region__"``) in the active language, the Uzbek Latin one where that is empty."""
    field = name_field(lang)
    if field == "name_uz":
        return F(f"{path}name_uz")
    return Coalesce(NullIf(F(f"{path}{field}"), Value("")), F(f"{path}name_uz"))


class LocalizedNameMixin(models.Model):
    """Names in the four interface languages; ``name`` follows the active language."""

    name_uz = models.CharField(_("name (Uzbek, Latin)"), max_length=200)
    name_uz_cyrl = models.CharField(_("name (Uzbek, Cyrillic)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return getattr(self, name_field()) or self.name_uz

    def __str__(self) -> str:
        return self.name


class Region(LocalizedNameMixin):
    objects = RegionQuerySet.as_manager()

    code = models.CharField(_("code"), max_length=8, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(LocalizedNameMixin):
    objects = DistrictQuerySet.as_manager()

    class Kind(models.TextChoices):
        TUMAN = "tuman", _("district")
        CITY = "city", _("city")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=8, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TUMAN)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Mahalla(LocalizedNameMixin):
    objects = MahallaQuerySet.as_manager()

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="mahallas", verbose_name=_("district"))
    code = models.CharField(_("code"), max_length=12, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("mahalla")
        verbose_name_plural = _("mahallas")


class Precinct(models.Model):
    objects = PrecinctQuerySet.as_manager()

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="precincts", verbose_name=_("district"))
    code = models.CharField(_("code"), max_length=12, unique=True)
    number = models.PositiveIntegerField(_("number"))
    address = models.CharField(_("address"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    abroad_country = models.CharField(
        _("country (abroad)"), max_length=2, blank=True, help_text=_("ISO code for polling stations abroad")
    )
    capacity = models.PositiveIntegerField(_("expected voters"), default=0)

    class Meta:
        ordering = ["district__code", "number"]
        verbose_name = _("precinct")
        verbose_name_plural = _("precincts")
        constraints = [
            models.UniqueConstraint(fields=["district", "number"], name="precinct_number_unique_in_district"),
        ]

    def __str__(self) -> str:
        return _("Precinct No. %(number)s") % {"number": self.number}


class Election(LocalizedNameMixin):
    class Kind(models.TextChoices):
        PRESIDENTIAL = "presidential", _("presidential")
        PARLIAMENTARY = "parliamentary", _("parliamentary")
        LOCAL = "local", _("local council")
        REFERENDUM = "referendum", _("referendum")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    election_day = models.DateField(_("election day"))
    rules = models.JSONField(
        _("rule settings"), default=dict, blank=True, help_text=_("Overrides of the default rules (see docs/rules.md)")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-election_day"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def rule(self, name: str):
        if name in (self.rules or {}):
            return self.rules[name]
        return DEFAULT_RULES[name]

    def deadline(self, key: str):
        """The ``Deadline`` row of this election's calendar for ``key``, or None."""
        return self.deadlines.filter(key=key).first()

    def deadline_due(self, key: str) -> datetime | None:
        """The moment deadline ``key`` falls: the one rule every service and workflow reads a deadline through.

        The calendar's row when there is one; else, for a deadline an election rule places (``DEADLINE_RULES``:
        accreditation closes ``accreditation_days_before`` days before election day), that day at
        ``DEADLINE_TIME`` (18:00, as a default calendar places its rows); else None (no such deadline).
        """
        row = self.deadline(key)
        if row is not None:
            return row.due
        rule = DEADLINE_RULES.get(key)
        if rule is None:
            return None
        day = self.election_day - timedelta(days=int(self.rule(rule)))
        return timezone.make_aware(datetime.combine(day, DEADLINE_TIME))

    def decide_by(self, start, rule: str):
        """When a decision on something begun at ``start`` is due: ``start`` plus the whole number of days of
        this election's rule ``rule`` (``objection_decision_days``, ``accreditation_decision_days`` ...).

        The one place of the "start + N days" rule for every decision queue; None when there is no start.
        """
        if start is None:
            return None
        return start + timedelta(days=int(self.rule(rule)))

    @property
    def is_over(self) -> bool:
        """Whether election day has passed (in the portal's time zone); election day itself is not over."""
        return timezone.localdate() > self.election_day

    @property
    def days_left(self) -> int:
        return (self.election_day - timezone.localdate()).days


class Deadline(models.Model):
    """A named date in an election's calendar; services enforce it."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("election"))
    key = models.CharField(_("deadline"), max_length=40, choices=DEADLINE_KEYS)
    due = models.DateTimeField(_("due"))

    class Meta:
        ordering = ["due"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="deadline_unique_per_election")]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {date_format(timezone.localtime(self.due), 'DATETIME_FORMAT')}"


class Constituency(LocalizedNameMixin):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single-mandate")
        NATIONAL = "national", _("national")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="constituencies", verbose_name=_("election"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    seats = models.PositiveIntegerField(_("seats"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)])
    precincts = models.ManyToManyField(Precinct, related_name="constituencies", blank=True, verbose_name=_("precincts"))

    class Meta:
        ordering = ["election", "number"]
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="constituency_number_unique")]


class Commission(LocalizedNameMixin):
    objects = CommissionQuerySet.as_manager()

    class Level(models.TextChoices):
        CENTRAL = "central", _("central")
        REGIONAL = "regional", _("regional")
        DISTRICT = "district", _("district")
        PRECINCT = "precinct", _("precinct")

    code = models.CharField(_("code"), max_length=16, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="commissions")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="commissions")
    precinct = models.ForeignKey(Precinct, null=True, blank=True, on_delete=models.PROTECT, related_name="commissions")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="CommissionMember", related_name="commissions")

    class Meta:
        ordering = ["code"]
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        constraints = [
            models.CheckConstraint(
                name="commission_area_matches_level",
                condition=(
                    models.Q(level="central", region__isnull=True, district__isnull=True, precinct__isnull=True)
                    | models.Q(level="regional", region__isnull=False, district__isnull=True, precinct__isnull=True)
                    | models.Q(level="district", region__isnull=True, district__isnull=False, precinct__isnull=True)
                    | models.Q(level="precinct", region__isnull=True, district__isnull=True, precinct__isnull=False)
                ),
            ),
        ]


class CommissionMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        DEPUTY = "deputy", _("deputy chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commission_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("member since"), default=timezone.localdate)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        constraints = [models.UniqueConstraint(fields=["commission", "user"], name="commission_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.commission})"
