"""The results API's shapes: requests are parsed here, stored by ``results.services`` only."""

from rest_framework import serializers

from results.models import Protocol, ProtocolCorrection, ProtocolVersion, TurnoutReport


class TurnoutReportSerializer(serializers.ModelSerializer):
    voted = serializers.IntegerField(read_only=True)

    class Meta:
        model = TurnoutReport
        fields = [
            "id",
            "election",
            "precinct",
            "at",
            "voted_station",
            "voted_early",
            "voted_home",
            "voted",
            "on_list",
            "entered_at",
            "corrections",
        ]


class TurnoutEnterSerializer(serializers.Serializer):
    election = serializers.IntegerField()
    precinct = serializers.IntegerField()
    at = serializers.TimeField(format="%H:%M")
    voted_station = serializers.IntegerField(min_value=0)
    voted_early = serializers.IntegerField(min_value=0, default=0)
    voted_home = serializers.IntegerField(min_value=0, default=0)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class TurnoutPublishSerializer(serializers.Serializer):
    election = serializers.IntegerField()
    at = serializers.TimeField(format="%H:%M")


class ProtocolEntrySerializer(serializers.Serializer):
    """One member's blind entry: the figures by line key (``votes:<key>`` for each candidate or party)."""

    constituency = serializers.IntegerField()
    precinct = serializers.IntegerField()
    figures = serializers.DictField(child=serializers.IntegerField(min_value=0))


class EntryResultSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    protocol = serializers.IntegerField(allow_null=True)
    mismatched = serializers.ListField(child=serializers.CharField())


class ProtocolVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProtocolVersion
        fields = ["number", "kind", "figures", "checksum", "reason", "author", "approver", "created_at"]


class ProtocolSerializer(serializers.ModelSerializer):
    current = ProtocolVersionSerializer(read_only=True)

    class Meta:
        model = Protocol
        fields = ["id", "election", "constituency", "precinct", "status", "status_changed_at", "current"]


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CorrectionOpenSerializer(serializers.Serializer):
    figures = serializers.DictField(child=serializers.IntegerField(min_value=0))
    reason = serializers.CharField(max_length=2000)
    recount = serializers.BooleanField(default=False)


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProtocolCorrection
        fields = ["id", "protocol", "recount", "reason", "figures", "opened_by", "opened_at", "version"]
