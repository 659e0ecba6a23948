from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from candidates.models import DocumentKind
from candidates.sheets import MAX_SHEETS
from core.forms import UsernameField
from core.pinfl import django_validator as pinfl_validator
from elections.models import Constituency
from elections.selectors import active_elections


class PartyForm(forms.Form):
    registration_number = forms.CharField(label=_("Registration number"), max_length=32)
    name_uz = forms.CharField(label=_("Name (Uzbek, Latin)"), max_length=200)
    name_uz_cyrl = forms.CharField(label=_("Name (Uzbek, Cyrillic)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    leader = forms.CharField(label=_("Leader"), max_length=200, required=False)


class RepresentativeForm(forms.Form):
    username = UsernameField(label=_("Username of the representative"))


class NominationForm(forms.Form):
    election = forms.ModelChoiceField(label=_("Election"), queryset=None)
    constituency = forms.ModelChoiceField(label=_("Constituency"), queryset=None)
    pinfl = forms.CharField(label=_("Candidate's PINFL"), max_length=14, validators=[pinfl_validator])
    surname = forms.CharField(label=_("Surname (as on the voter list, either script)"), max_length=100)
    given_name = forms.CharField(label=_("Given name (as on the voter list, either script)"), max_length=100)
    list_position = forms.IntegerField(label=_("Position on the national list"), required=False, min_value=1, max_value=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["election"].queryset = active_elections()
        self.fields["constituency"].queryset = Constituency.objects.filter(election__in=active_elections())


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=())
    file = forms.FileField(label=_("File (PDF; photo: JPEG or PNG)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["kind"].choices = DocumentKind.choices


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("What do you object to, and why?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    evidence = forms.FileField(label=_("Evidence (PDF, optional)"), required=False)


class SignatureUploadForm(forms.Form):
    file = forms.FileField(label=_("Signature rows (CSV or XLSX)"))
    scans = forms.FileField(label=_("Scanned sheets (PDF)"), required=False)


class SheetIssueForm(forms.Form):
    count = forms.IntegerField(label=_("Number of sheets"), min_value=1, max_value=MAX_SHEETS, initial=10)
    language = forms.ChoiceField(label=_("Language of the sheets"), choices=settings.LANGUAGES)
