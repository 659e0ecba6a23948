from rest_framework import serializers

from elections.models import Election, Precinct
from observers.models import OBSERVER_WORKFLOW, Observer, ObserverAccreditation, ObserverOrganization
from observers.selectors import observers_for
from observers.services import MAX_PRECINCTS_PER_APPLICATION


class ObserverOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObserverOrganization
        fields = ["id", "name", "kind", "registration_number", "party", "mahalla", "country", "is_active"]


class ObserverSerializer(serializers.ModelSerializer):
    """No PINFL and no passport number: the API names people, it does not identify them."""

    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Observer
        fields = ["id", "organization", "full_name", "surname", "given_name", "patronymic", "is_foreign", "country", "created_at"]


class ObserverAccreditationSerializer(serializers.ModelSerializer):
    decision_due = serializers.DateTimeField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ObserverAccreditation
        fields = [
            "id",
            "observer",
            "organization",
            "election",
            "precincts",
            "status",
            "status_changed_at",
            "submitted_at",
            "decision_due",
            "is_overdue",
            "created_at",
        ]


class AccreditationCreateSerializer(serializers.Serializer):
    """An application: the observer must be one the caller sees (another organisation's is "does not exist")."""

    observer = serializers.PrimaryKeyRelatedField(queryset=Observer.objects.none())
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all())
    # ids, bounded before any lookup, then read in one query (a related field looks each id up on its own)
    precincts = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=MAX_PRECINCTS_PER_APPLICATION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        request = self.context.get("request")
        if request is not None:
            self.fields["observer"].queryset = observers_for(request.user)

    def validate_precincts(self, ids):
        found = Precinct.objects.in_bulk(set(ids))
        unknown = sorted(set(ids) - found.keys())
        if unknown:
            message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]  # DRF's words
            raise serializers.ValidationError(message.format(pk_value=unknown[0]), code="does_not_exist")
        return list(found.values())


#: The workflow's actions (named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
OBSERVER_ACTIONS = list(OBSERVER_WORKFLOW.transitions)


class AccreditationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=OBSERVER_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
