from rest_framework import serializers

from candidates.models import Party


class PartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Party
        fields = ["id", "registration_number", "name", "name_uz", "name_uz_cyrl", "name_ru", "name_en", "short_name",
                  "leader", "registered_on", "is_active"]


class NominationSerializer(serializers.ModelSerializer):
    candidate = serializers.CharField(source="voter.__str__", read_only=True)

    class Meta:
        from candidates.models import Nomination

        model = Nomination
        fields = ["id", "party", "election", "constituency", "list_position", "candidate", "status",
                  "status_changed_at", "created_at"]


class NominationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["submit", "withdraw", "start_review", "return", "approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
