from candidates import selectors
from candidates.api.serializers import PartySerializer
from core.api.permissions import IsVerifiedUser
from core.api.viewsets import ScopedReadOnlyViewSet


class PartyViewSet(ScopedReadOnlyViewSet):
    """Parties: CEC staff see all; a representative sees only their own party."""

    selector = selectors.parties_for
    serializer_class = PartySerializer
    permission_classes = [IsVerifiedUser]
