import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from elections.models import Commission, CommissionMember, District, Election, Mahalla, Precinct, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name_uz = factory.Sequence(lambda n: f"Viloyat {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"D{n:04d}")
    name_uz = factory.Sequence(lambda n: f"Tuman {n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")


class MahallaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mahalla

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"M{n:06d}")
    name_uz = factory.Sequence(lambda n: f"Mahalla {n}")


class PrecinctFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Precinct

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"P{n:06d}")
    number = factory.Sequence(lambda n: n + 1)
    address = factory.Sequence(lambda n: f"Amir Temur koʻchasi {n}")


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    name_uz = factory.Sequence(lambda n: f"Saylov {n}")
    kind = Election.Kind.PARLIAMENTARY
    election_day = factory.Faker("future_date", end_date="+120d")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.PARTY_REP
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-Battery-9")

    @factory.post_generation
    def save_after(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def commission_for(*, level, region=None, district=None, precinct=None):
    code = f"{level[0].upper()}-{(region or district or precinct).pk if (region or district or precinct) else 'C'}"
    commission, _ = Commission.objects.get_or_create(
        code=code,
        defaults={"level": level, "region": region, "district": district, "precinct": precinct, "name_uz": f"{level} commission"},
    )
    return commission


def add_member(user, commission, role=CommissionMember.Role.MEMBER):
    return CommissionMember.objects.create(user=user, commission=commission, role=role)


def totp_device(user):
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)
