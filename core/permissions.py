"""Page-level access rules shared by every app's views."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(test):
    """Login first; then ``test(user)`` must hold, otherwise 403.

    The test is kept on the view as ``access`` (``may_open``), so that the navigation offers a page only
    to those it lets in: the page's rule, not a copy of it."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded = login_required(wrapper)
        guarded.access = test
        return guarded

    return decorator


def may_open(view, user) -> bool:
    """Whether ``user`` (None: nobody signed in) gets past ``view``'s own rule, for a view behind
    ``role_required``; any other view is taken as open (the caller knows its own rule)."""
    access = getattr(view, "access", None)
    if access is None:
        return True
    return user is not None and user.is_authenticated and bool(access(user))


official_required = role_required(lambda u: u.is_official)
cec_required = role_required(lambda u: u.is_cec)
