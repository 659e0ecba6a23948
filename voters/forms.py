import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.identity import is_citizen_passport
from elections.forms import DistrictField, districts_by_region
from elections.models import Mahalla
from elections.selectors import active_elections
from voters.models import VoterStatus
from voters.selectors import DUPLICATE_ORDERS

_DATE = forms.DateInput(attrs={"type": "date"})


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Registry file (CSV or XLSX)"))
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        initial="auto",
        choices=[("auto", _("detect automatically")), ("utf-8", "UTF-8"), ("cp1251", "Windows-1251")],
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("PINFL, passport or name"), required=False, max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=_DATE)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any"))] + VoterStatus.choices)


class VoterEditForm(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=100)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    passport = forms.CharField(label=_("Passport"), max_length=12, required=False)
    mahalla = forms.ModelChoiceField(label=_("Mahalla"), queryset=Mahalla.objects.none(), required=False)
    street = forms.CharField(label=_("Street"), max_length=150, required=False)
    house = forms.CharField(label=_("House"), max_length=20, required=False)
    flat = forms.CharField(label=_("Flat"), max_length=20, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, voter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if voter is not None:
            self.fields["mahalla"].queryset = Mahalla.objects.filter(district_id=voter.district_id)

    # names, addresses and the passport are checked by services.voter_update (the import's rules); the view
    # puts its errors on these fields


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=VoterStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    document = forms.FileField(label=_("Supporting document (PDF or image)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_document(self):
        doc = self.cleaned_data.get("document")
        if doc is None:
            return None
        head = doc.read(8)
        doc.seek(0)
        if not (head.startswith(b"%PDF") or head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8")):
            raise forms.ValidationError(_("Upload a PDF, PNG or JPEG file."))
        if doc.size > 10 * 2**20:
            raise forms.ValidationError(_("At most 10 MB."))
        return doc


class LookupForm(forms.Form):
    document = forms.CharField(label=_("PINFL or passport number"), max_length=14)
    birth_date = forms.DateField(label=_("Birth date"), widget=_DATE)

    def clean_document(self):
        value = self.cleaned_data["document"].strip().upper().replace(" ", "")

        if not (re.fullmatch(r"\d{14}", value) or is_citizen_passport(value)):
            raise forms.ValidationError(_("Enter the 14-digit PINFL or a passport number such as AB1234567."))
        return value


class StayForm(forms.Form):
    pinfl = forms.RegexField(label=_("PINFL"), regex=r"^\d{14}$", error_messages={"invalid": _("The PINFL has 14 digits.")})
    birth_date = forms.DateField(label=_("Birth date"), widget=_DATE)
    election = forms.ModelChoiceField(label=_("Election"), queryset=active_elections())
    district = DistrictField(label=_("District where you will stay"))
    precinct_number = forms.IntegerField(label=_("Precinct number"), min_value=1)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)
    contact = forms.CharField(label=_("Phone or e-mail for the answer (optional)"), max_length=120, required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=16)
    birth_date = forms.DateField(label=_("Birth date"), widget=_DATE)


class ReasonForm(forms.Form):
    """Why an official makes a decision that has no workflow of its own (applying assignment rules); its length
    and characters are the service's rule (``core.text.clean_reason``)."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why: the reason goes on the record.")},
    )


_ORDER_LABELS = {
    "score": _("highest score first"),
    "oldest": _("waiting longest first"),
    "newest": _("newest first"),
}


class DuplicateFilterForm(forms.Form):
    """The duplicates list narrowed to a district of the user's area and ordered (``DUPLICATE_ORDERS``)."""

    district = DistrictField(required=False, empty_label=_("All districts"))
    order = forms.ChoiceField(label=_("Order"), required=False, choices=[(k, _ORDER_LABELS[k]) for k in DUPLICATE_ORDERS])

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        if districts.exists():
            self.fields["district"].queryset = districts_by_region(districts)
        else:  # a precinct official's list is one precinct's
            del self.fields["district"]


class DuplicateDecisionForm(forms.Form):
    """The review of a possible duplicate: three equal answers, and why (the page always asks)."""

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("keep_a", _("The same person: keep record A, retire B")),
            ("keep_b", _("The same person: keep record B, retire A")),
            ("different", _("Different people: keep both")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the three answers.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What decided it (documents seen, the registry office asked ...). It goes on both records' history."),
        error_messages={"required": _("Say why: the reason goes on the record.")},
    )


class RuleForm(forms.Form):
    mahalla = forms.ModelChoiceField(label=_("Mahalla"), queryset=Mahalla.objects.none())
    street = forms.CharField(label=_("Street (empty: whole mahalla)"), max_length=150, required=False)
    house_from = forms.IntegerField(label=_("From house"), required=False, min_value=1)
    house_to = forms.IntegerField(label=_("To house"), required=False, min_value=1)
    precinct = forms.ModelChoiceField(label=_("Precinct"), queryset=None)

    def __init__(self, *args, mahallas=None, precincts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mahalla"].queryset = mahallas
        self.fields["precinct"].queryset = precincts

    def clean(self):
        data = super().clean()
        if (data.get("house_from") is None) != (data.get("house_to") is None):
            raise forms.ValidationError(_("Give both ends of the house range, or neither."))
        if data.get("house_from") and data.get("house_to") and data["house_from"] > data["house_to"]:
            raise forms.ValidationError(_("The range must go from a lower to a higher house number."))
        if data.get("house_from") and not (data.get("street") or "").strip():
            raise forms.ValidationError(_("A house range needs a street."))
        return data
