from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candidates.models import (
    CONSEQUENTIAL_TRANSITIONS,
    NOMINATION_WORKFLOW,
    OBJECTION_WORKFLOW,
    Nomination,
    Objection,
    Party,
    RegistrationDecision,
    SignatureSheetUpload,
)


class PartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Party
        fields = [
            "id",
            "registration_number",
            "name",
            "name_uz",
            "name_uz_cyrl",
            "name_ru",
            "name_en",
            "short_name",
            "leader",
            "registered_on",
            "is_active",
        ]


class NominationSerializer(serializers.ModelSerializer):
    candidate = serializers.CharField(source="voter.__str__", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "party",
            "election",
            "constituency",
            "list_position",
            "candidate",
            "status",
            "status_changed_at",
            "created_at",
        ]


#: The workflow actions each API accepts (named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]): a registration is
#: cancelled only by upholding an objection, and an objection is submitted by filing it.
NOMINATION_ACTIONS = [name for name in NOMINATION_WORKFLOW.transitions if name not in CONSEQUENTIAL_TRANSITIONS]
OBJECTION_ACTIONS = [name for name in OBJECTION_WORKFLOW.transitions if name != "submit"]


class NominationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=NOMINATION_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RegistrationDecisionSerializer(serializers.ModelSerializer):
    commission = serializers.CharField(source="commission.code", read_only=True, default=None)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)

    class Meta:
        model = RegistrationDecision
        fields = [
            "id",
            "outcome",
            "reason",
            "commission",
            "decided_by",
            "decided_at",
            "signature_upload",
            "signatures_exempt",
            "signatures",
        ]


class NominationDetailSerializer(NominationSerializer):
    """A nomination with its registration decision (and the signature result it weighed)."""

    decision = serializers.SerializerMethodField()

    class Meta(NominationSerializer.Meta):
        fields = [*NominationSerializer.Meta.fields, "decision"]

    @extend_schema_field(RegistrationDecisionSerializer(allow_null=True))
    def get_decision(self, obj):
        decisions = list(obj.decisions.all())
        return RegistrationDecisionSerializer(decisions[0]).data if decisions else None


class SignatureUploadSerializer(serializers.ModelSerializer):
    """An upload's status and progress (counters fill in once verification has finished)."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    sufficient = serializers.SerializerMethodField()

    class Meta:
        model = SignatureSheetUpload
        fields = [
            "id",
            "nomination",
            "original_name",
            "status",
            "status_display",
            "message",
            "total",
            "valid",
            "invalid",
            "seed",
            "sufficient",
            "created_at",
            "finished_at",
        ]

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_sufficient(self, obj):
        if obj.status != "done":
            return None
        return bool(((obj.result or {}).get("decision") or {}).get("accepted"))


class SignatureUploadCreateSerializer(serializers.Serializer):
    nomination = serializers.IntegerField()
    file = serializers.FileField()
    scans = serializers.FileField(required=False)


class SignatureResultSerializer(serializers.Serializer):
    """The result summary: totals, invalid by reason, per sheet and per collector, and the decision."""

    totals = serializers.DictField()
    by_reason = serializers.DictField(child=serializers.IntegerField())
    per_sheet = serializers.ListField(child=serializers.DictField())
    per_collector = serializers.ListField(child=serializers.DictField())
    decision = serializers.DictField()


class ObjectionSerializer(serializers.ModelSerializer):
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id",
            "nomination",
            "decision",
            "standing",
            "text",
            "has_evidence",
            "evidence_sha256",
            "status",
            "status_changed_at",
            "filed_at",
        ]

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)


class ObjectionCreateSerializer(serializers.Serializer):
    nomination = serializers.IntegerField()
    text = serializers.CharField(max_length=5000)
    evidence = serializers.FileField(required=False)


class ObjectionTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=OBJECTION_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
