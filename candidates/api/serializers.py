from rest_framework import serializers

from candidates.models import Party


class PartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Party
        fields = ["id", "registration_number", "name", "name_uz", "name_uz_cyrl", "name_ru", "name_en", "short_name",
                  "leader", "registered_on", "is_active"]
