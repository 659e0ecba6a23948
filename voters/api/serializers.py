from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.identity import CITIZEN_PASSPORT_PATTERN
from core.workflow import State
from voters.models import DuplicateCandidate, ImportJob, ImportRowError, Voter, VoterChange, VotingLocationRequest


class VoterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Voter
        fields = [
            "id",
            "pinfl",
            "passport",
            "surname",
            "given_name",
            "patronymic",
            "birth_date",
            "sex",
            "district",
            "mahalla",
            "street",
            "house",
            "flat",
            "precinct",
            "status",
            "status_reason",
            "merged_into",
            "version",
            "source",
            "created_at",
            "updated_at",
        ]


class VoterChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoterChange
        fields = ["id", "created_at", "kind", "changes", "reason", "actor", "import_job"]


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.FloatField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "created_at",
            "original_name",
            "size",
            "sha256",
            "encoding",
            "status",
            "message",
            "total_estimate",
            "rows_read",
            "rows_valid",
            "rows_invalid",
            "inserted",
            "updated",
            "unchanged",
            "retired",
            "progress",
            "started_at",
            "finished_at",
        ]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    encoding = serializers.ChoiceField(choices=["auto", "utf-8", "cp1251"], default="auto")


class ImportRowErrorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRowError
        fields = ["row", "field", "code", "message", "value"]


class DuplicateSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuplicateCandidate
        fields = ["id", "voter_a", "voter_b", "score", "evidence", "decision", "created_at"]


class DuplicateRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="why (kept on the record)")


class DuplicateConfirmSerializer(DuplicateRejectSerializer):
    keep = serializers.IntegerField(help_text="id of the record that stays")


class LocationRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = VotingLocationRequest
        fields = ["id", "tracking_code", "voter", "election", "precinct", "reason", "status", "created_at"]


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PublicLookupSerializer(serializers.Serializer):
    pinfl = serializers.RegexField(r"^\d{14}$", required=False)
    passport = serializers.RegexField(rf"^(?i:{CITIZEN_PASSPORT_PATTERN})$", required=False)
    birth_date = serializers.DateField()

    def validate(self, attrs):
        if bool(attrs.get("pinfl")) == bool(attrs.get("passport")):
            raise serializers.ValidationError(_("Give either the PINFL or the passport number."))
        return attrs


class PublicLookupResultSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    precinct_number = serializers.IntegerField(required=False)
    district = serializers.CharField(required=False)
    address = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)


class PublicRequestReceiptSerializer(serializers.Serializer):
    """What the public gets back: the code to follow the request with, nothing about the voter."""

    tracking_code = serializers.CharField()
    status = serializers.ChoiceField(choices=State.choices)


class PublicRequestSerializer(serializers.Serializer):
    pinfl = serializers.RegexField(r"^\d{14}$")
    birth_date = serializers.DateField()
    election = serializers.IntegerField()
    precinct = serializers.IntegerField(help_text="precinct id")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
