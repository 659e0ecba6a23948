"""One shape for a refusal that names a field: what services raise and pages show under the field."""

from django.core.exceptions import ValidationError


def field_error(field_name: str, message: str, code: str) -> ValidationError:
    """``ValidationError({field_name: [message]})`` with ``code``: the field a form or the API marks."""
    return ValidationError({field_name: ValidationError(message, code=code)})
