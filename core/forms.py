from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


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


class TransitionForm(forms.Form):
    """The action buttons of a workflow page (``core.workflow``): the transition's name and, where needed, why."""

    action = forms.CharField(max_length=40)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


def add_errors(form, exc) -> None:
    """Show a service's ``ValidationError`` on the form: on its field where the form has one, else on the form."""
    for field, errs in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        form.add_error(field if field in form.fields else None, errs)
