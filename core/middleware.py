"""Response headers set in one place."""

from django.conf import settings

#: The response header by which a view says "the same bytes for every signed-out reader" (``esaylov.pagecache``
#: keeps such a page in front of Django and never sends the header out).
SHARED_PAGE_HEADER = "X-Esaylov-Shared-Page"


class ContentSecurityPolicyMiddleware:
    """Adds ``settings.CONTENT_SECURITY_POLICY`` to every response that does not set its own.

    The default policy allows scripts only from this origin (no inline script, no eval): every
    page's behaviour lives in static files, and a test keeps inline scripts and event handlers
    out of the templates.  An empty setting turns the header off.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
