from rest_framework import serializers

from elections.models import Commission, Constituency, Deadline, District, Election, Mahalla, Precinct, Region

_NAMES = ["name", "name_uz", "name_uz_cyrl", "name_ru", "name_en"]


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", *_NAMES]


class DistrictSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = District
        fields = ["id", "code", "region", "kind", *_NAMES]


class MahallaSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Mahalla
        fields = ["id", "code", "district", *_NAMES]


class PrecinctSerializer(serializers.ModelSerializer):
    class Meta:
        model = Precinct
        fields = ["id", "code", "number", "district", "address", "latitude", "longitude", "phone", "abroad_country", "capacity"]


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["key", "due"]


class ElectionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = ["id", "kind", "election_day", "is_active", "rules", "deadlines", *_NAMES]


class ConstituencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Constituency
        fields = ["id", "election", "number", "kind", "seats", "name_uz", "name_ru"]


class CommissionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Commission
        fields = ["id", "code", "level", "region", "district", "precinct", *_NAMES]
