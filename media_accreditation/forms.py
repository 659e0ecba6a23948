from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import PersonIdentityForm, UsernameField
from elections.models import Region
from elections.selectors import active_elections
from media_accreditation.models import MediaAccreditation, MediaOutlet


class OutletForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MediaOutlet.Kind.choices)
    certificate_number = forms.CharField(label=_("Registration certificate number"), max_length=40)
    country = forms.CharField(label=_("Country (foreign outlets, ISO code)"), max_length=2, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class EditorForm(forms.Form):
    username = UsernameField(label=_("Username of the editor"))


class JournalistForm(PersonIdentityForm):
    position = forms.CharField(label=pgettext_lazy("job title", "Position"), max_length=100, required=False)
    photo = forms.FileField(label=_("Photo (JPEG or PNG)"))
    username = forms.CharField(label=_("Username of the journalist's account (optional)"), max_length=150, required=False)


class ApplyForm(forms.Form):
    journalist = forms.ModelChoiceField(label=_("Journalist"), queryset=None)
    election = forms.ModelChoiceField(label=_("Election"), queryset=None)
    scope = forms.ChoiceField(label=_("Scope"), choices=MediaAccreditation.Scope.choices)
    region = forms.ModelChoiceField(label=_("Region (scope “one region”)"), queryset=None, required=False)

    def __init__(self, *args, outlet, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["journalist"].queryset = outlet.journalists.all()
        self.fields["election"].queryset = active_elections()
        self.fields["region"].queryset = Region.objects.all()
