from django import forms
from django.utils.translation import gettext_lazy as _

from elections.forms import DistrictField
from elections.selectors import active_elections
from incidents.models import Incident
from incidents.services import INCIDENT_MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class IncidentForm(forms.Form):
    """An incident at a precinct: the election, a district and the precinct's number."""

    election = forms.ModelChoiceField(label=_("Election"), queryset=None)
    district = DistrictField()
    precinct_number = forms.IntegerField(label=_("Precinct number"), min_value=1, max_value=99999)
    category = forms.ChoiceField(label=_("Category"), choices=Incident.Category.choices)
    occurred_at = forms.DateTimeField(
        label=_("Time of the incident"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    photos = MultipleFileField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        # the limit is the service's (checked there); the label is made here, in the language of the request
        self.fields["photos"].label = _("Photos (JPEG or PNG, up to %(n)s)") % {"n": INCIDENT_MAX_PHOTOS}
        self.fields["election"].queryset = active_elections()

    def clean(self):
        data = super().clean()
        district, number = data.get("district"), data.get("precinct_number")
        if district is not None and number is not None:
            data["precinct"] = district.precincts.filter(number=number).first()
            if data["precinct"] is None:
                self.add_error("precinct_number", _("There is no precinct with this number in the district."))
        return data


class AnswerForm(forms.Form):
    action = forms.ChoiceField(choices=(("answer", _("Answer")), ("close", _("Close"))))
    answer = forms.CharField(
        label=_("Answer of the commission"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
