from rest_framework import serializers

from incidents.models import Incident
from incidents.services import INCIDENT_MAX_PHOTOS


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = [
            "id",
            "election",
            "precinct",
            "category",
            "description",
            "occurred_at",
            "created_at",
            "status",
            "answer",
            "answered_at",
            "closed_at",
        ]


class IncidentAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class IncidentCreateSerializer(serializers.ModelSerializer):
    """A report: JSON, or multipart with ``photos`` (JPEG or PNG, at most ``maxItems`` of them)."""

    # The fields and their limits come from the Incident model and the photo limit from the service;
    # services.incident_report checks the rest (an active election, the reporter's accreditation, the day,
    # the photos' content) and stores the report: this serializer only parses the request, it never saves.
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=INCIDENT_MAX_PHOTOS)

    class Meta:
        model = Incident
        fields = ["election", "precinct", "category", "description", "occurred_at", "photos"]
        extra_kwargs = {"occurred_at": {"allow_null": True, "default": None}}  # the service takes "now"

    def create(self, validated_data):
        raise NotImplementedError("services.incident_report stores incidents")

    def update(self, instance, validated_data):
        raise NotImplementedError("incidents are changed by their services")
