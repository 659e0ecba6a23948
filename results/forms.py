"""Forms of election day and the count: parse input only; the services check and store."""

from django import forms
from django.utils.translation import gettext_lazy as _

from results import protocol as rules


class ProtocolForm(forms.Form):
    """Every line of a contest's protocol; ``voters_on_list`` is shown from the list, not typed."""

    def __init__(self, *args, vote_lines=(), on_list: int = 0, with_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_list = on_list
        for key, label in rules.LINES:
            if key == "voters_on_list":
                continue
            self.fields[key] = forms.IntegerField(
                label=label, min_value=0, required=key != "ballots_lost", initial=0 if key == "ballots_lost" else None
            )
        self.vote_keys = []
        for key, label in vote_lines:
            self.fields[key] = forms.IntegerField(label=label, min_value=0)
            self.vote_keys.append(key)
        if with_photo:
            self.fields["photo"] = forms.FileField(label=_("Photo of the copy (JPEG or PNG)"))

    def fixed_fields(self):
        return [self[k] for k in rules.LINE_KEYS if k in self.fields]

    def vote_fields(self):
        return [self[k] for k in self.vote_keys]


class TurnoutForm(forms.Form):
    at = forms.TypedChoiceField(label=_("Reporting time"), choices=(), coerce=str)
    voted_station = forms.IntegerField(label=_("Voted at the polling station"), min_value=0)
    voted_early = forms.IntegerField(label=_("Voted early"), min_value=0, initial=0)
    voted_home = forms.IntegerField(label=_("Voted at home"), min_value=0, initial=0)
    reason = forms.CharField(
        label=_("Reason (a correction after publication)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, times=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].choices = [(t.strftime("%H:%M"), t.strftime("%H:%M")) for t in times]


class DecisionForm(forms.Form):
    """A workflow step on a protocol: which one, an optional reason, and the confirmation box."""

    action = forms.ChoiceField(choices=(("verify", _("Verify")), ("certify", _("Certify")), ("publish", _("Publish"))))
    reason = forms.CharField(label=_("Reason or note"), required=False, max_length=2000)
    confirm = forms.BooleanField(label=_("I have checked the figures against the signed protocol"))
