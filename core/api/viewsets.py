"""The base API viewset: every queryset is narrowed to what the caller may see.

Subclasses name a selector (``scoped_queryset(user)``) instead of a queryset,
so no API view can forget the scope.
"""

from rest_framework import viewsets


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    #: A callable ``selector(user) -> QuerySet`` already scoped to the user.
    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)
