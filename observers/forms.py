import re

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.models import Party
from core.forms import PersonIdentityForm, UsernameField
from elections.forms import DistrictField
from elections.models import Mahalla
from elections.selectors import active_elections
from observers.models import ObserverOrganization
from observers.selectors import public_organizations


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=ObserverOrganization.Kind.choices)
    registration_number = forms.CharField(label=_("Registration number"), max_length=40, required=False)
    party = forms.ModelChoiceField(label=_("Party (kind “political party”)"), queryset=None, required=False)
    mahalla = forms.ModelChoiceField(label=_("Mahalla (kind “citizens' assembly”)"), queryset=None, required=False)
    country = forms.CharField(label=_("Country (international organisations, ISO code)"), max_length=2, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["party"].queryset = Party.objects.filter(is_active=True)
        self.fields["mahalla"].queryset = Mahalla.objects.all()
        self.fields["mahalla"].widget = forms.NumberInput()  # thousands of mahallas: by id
        self.fields["mahalla"].label = _("Mahalla id (kind “citizens' assembly”)")


class CoordinatorForm(forms.Form):
    username = UsernameField(label=_("Username of the coordinator"))


class IdentityForm(PersonIdentityForm):
    birth_date = forms.DateField(
        label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d", "%d.%m.%Y"]
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    photo = forms.FileField(label=_("Photo for the badge (JPEG or PNG)"), required=False)


class ObserverForm(IdentityForm):
    """A coordinator adds one observer."""

    email = forms.EmailField(label=_("Email"), required=False)


class RegisterForm(IdentityForm):
    """Online self-registration: the organisation that nominates the observer, and (when not logged in) an account."""

    organization = forms.ModelChoiceField(label=_("Nominating organisation"), queryset=None)
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, required=False)

    def __init__(self, *args, with_account: bool, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["organization"].queryset = public_organizations()
        if with_account:
            for name in ("username", "email", "password"):
                self.fields[name].required = True
        else:
            for name in ("username", "email", "password"):
                del self.fields[name]


class BulkForm(forms.Form):
    file = forms.FileField(label=_("Observers (CSV or XLSX)"))


def parse_numbers(raw: str) -> list[int]:
    """ "12, 14-16" -> [12, 14, 15, 16] ; ValueError for anything else."""
    numbers = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\s]+", raw or ""))):
        if re.fullmatch(r"\d{1,5}", part):
            numbers.append(int(part))
        elif re.fullmatch(r"\d{1,5}-\d{1,5}", part):
            lo, hi = (int(x) for x in part.split("-"))
            if hi < lo or hi - lo > 100:
                raise ValueError(part)
            numbers.extend(range(lo, hi + 1))
        else:
            raise ValueError(part)
    return numbers


class ApplyForm(forms.Form):
    """An application: the election, a district and the numbers of its precincts."""

    election = forms.ModelChoiceField(label=_("Election"), queryset=None)
    district = DistrictField()
    precinct_numbers = forms.CharField(label=_("Precinct numbers (e.g. 12, 14-16)"), max_length=200)

    def __init__(self, *args, observers=None, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["election"].queryset = active_elections()
        if observers is not None:
            self.fields["observer"] = forms.ModelChoiceField(label=_("Observer"), queryset=observers)
            self.order_fields(["observer"])

    def clean(self):
        data = super().clean()
        district, raw = data.get("district"), data.get("precinct_numbers")
        if district is None or raw is None:
            return data
        try:
            numbers = parse_numbers(raw)
        except ValueError as exc:
            self.add_error("precinct_numbers", _("“%(part)s” is not a precinct number or range.") % {"part": exc})
            return data
        if not numbers:
            self.add_error("precinct_numbers", _("Enter at least one precinct number."))
            return data
        precincts = list(district.precincts.filter(number__in=numbers))
        missing = sorted(set(numbers) - {p.number for p in precincts})
        if missing:
            self.add_error(
                "precinct_numbers",
                _("No precinct with number(s) %(numbers)s in %(district)s.")
                % {"numbers": ", ".join(map(str, missing)), "district": district},
            )
        data["precincts"] = precincts
        return data
