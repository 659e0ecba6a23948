from functools import partial
from itertools import groupby

from django import forms
from django.contrib.auth import get_user_model
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from core.workflow import REASON_MAX


class FormRenderer(TemplatesSetting):
    """Every ``{{ form }}`` of the portal: an error summary linking to each field, then each field with its
    label, hint and error under the label (``templates/components/form.html`` and ``field.html``)."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class GroupedModelChoiceIterator(ModelChoiceIterator):
    """The choices of a ``GroupedModelChoiceField``: one ``<optgroup>`` per value of ``group_by``."""

    def __init__(self, field, group_by):
        super().__init__(field)
        self.group_by = group_by

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group, rows in groupby(self.queryset, key=self.group_by):
            yield (str(group), [self.choice(row) for row in rows])


class GroupedModelChoiceField(forms.ModelChoiceField):
    """A long choice grouped (districts by region): ``group_by(row)`` names each row's group; the queryset
    must be ordered by it."""

    def __init__(self, *args, group_by, **kwargs):
        self.iterator = partial(GroupedModelChoiceIterator, group_by=group_by)
        super().__init__(*args, **kwargs)


class PersonIdentityForm(forms.Form):
    """Who a person is (``core.models.PersonIdentity``): citizenship, PINFL or passport and country, names.

    Observers and journalists add their own fields after these.
    """

    is_foreign = forms.TypedChoiceField(
        label=_("Citizenship"),
        coerce=lambda v: v == "1",
        initial="0",
        choices=(("0", _("citizen of Uzbekistan (PINFL)")), ("1", _("foreign citizen (passport)"))),
    )
    pinfl = forms.CharField(label=_("PINFL"), max_length=14, required=False)
    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    country = forms.CharField(label=_("Citizenship (ISO code)"), max_length=2, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=100)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)


class UsernameField(forms.CharField):
    """A user named by username; cleans to the ``User`` ("No such user." otherwise).  Which role the user must
    have is the service's rule."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def clean(self, value):
        username = super().clean(value)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No such user."), code="unknown_user")
        return user


class DecisionForm(forms.Form):
    """The confirmation of a workflow action (``core.views.transition_step``): the transition's name and, where
    the transition asks for one (``Transition.asks_reason``), the reason, which then goes on the record."""

    action = forms.CharField(max_length=40, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.asks_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("Say why: the reason goes on the record.")
        else:
            self.fields["reason"].label = _("Note (optional)")


def add_errors(form, exc) -> None:
    """Show a service's ``ValidationError`` on the form: on its field where the form has one, else on the form."""
    for field, errs in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        form.add_error(field if field in form.fields else None, errs)
