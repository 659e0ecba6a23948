from django import forms
from django.utils.translation import gettext_lazy as _


class PartyForm(forms.Form):
    registration_number = forms.CharField(label=_("Registration number"), max_length=32)
    name_uz = forms.CharField(label=_("Name (Uzbek, Latin)"), max_length=200)
    name_uz_cyrl = forms.CharField(label=_("Name (Uzbek, Cyrillic)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    leader = forms.CharField(label=_("Leader"), max_length=200, required=False)


class RepresentativeForm(forms.Form):
    username = forms.CharField(label=_("Username of the representative"), max_length=150)
