from rest_framework import serializers

from elections.models import Election, Region
from media_accreditation.models import MEDIA_WORKFLOW, Journalist, MediaAccreditation, MediaOutlet
from media_accreditation.selectors import journalists_for


class MediaOutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediaOutlet
        fields = ["id", "name", "kind", "certificate_number", "country", "is_active", "created_at"]


class JournalistSerializer(serializers.ModelSerializer):
    """No PINFL, passport number or photo: the API lists who works for the outlet, not their papers."""

    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Journalist
        fields = [
            "id",
            "outlet",
            "full_name",
            "surname",
            "given_name",
            "patronymic",
            "position",
            "is_foreign",
            "country",
            "created_at",
        ]


class MediaAccreditationSerializer(serializers.ModelSerializer):
    outlet = serializers.IntegerField(source="journalist.outlet_id", read_only=True)

    class Meta:
        model = MediaAccreditation
        fields = [
            "id",
            "journalist",
            "outlet",
            "election",
            "scope",
            "region",
            "status",
            "status_changed_at",
            "valid_until",
            "created_at",
        ]


MEDIA_ACTIONS = sorted(MEDIA_WORKFLOW.transitions)


class MediaAccreditationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=MEDIA_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MediaAccreditationApplySerializer(serializers.Serializer):
    """An application: the journalist must be one the caller sees (another outlet's is "does not exist")."""

    journalist = serializers.PrimaryKeyRelatedField(queryset=Journalist.objects.none())
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all())
    scope = serializers.ChoiceField(choices=MediaAccreditation.Scope.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        request = self.context.get("request")
        if request is not None:
            self.fields["journalist"].queryset = journalists_for(request.user)
