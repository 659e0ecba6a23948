"""Demo parties: the five parties registered in Uzbekistan, the demo representative on the first."""

from django.contrib.auth import get_user_model

from candidates import services
from candidates.models import Party

PARTIES = (
    (
        "01",
        "Oʻzbekiston Liberal-demokratik partiyasi",
        "Ўзбекистон Либерал-демократик партияси",
        "Либерально-демократическая партия Узбекистана",
        "Liberal Democratic Party of Uzbekistan",
        "OʻzLiDeP",
    ),
    (
        "02",
        "Oʻzbekiston «Milliy tiklanish» demokratik partiyasi",
        "Ўзбекистон «Миллий тикланиш» демократик партияси",
        "Демократическая партия Узбекистана «Миллий тикланиш»",
        "Milliy Tiklanish Democratic Party",
        "Milliy tiklanish",
    ),
    (
        "03",
        "Oʻzbekiston «Adolat» sotsial-demokratik partiyasi",
        "Ўзбекистон «Адолат» социал-демократик партияси",
        "Социал-демократическая партия Узбекистана «Адолат»",
        "Adolat Social Democratic Party",
        "Adolat",
    ),
    (
        "04",
        "Oʻzbekiston Xalq demokratik partiyasi",
        "Ўзбекистон Халқ демократик партияси",
        "Народно-демократическая партия Узбекистана",
        "People's Democratic Party of Uzbekistan",
        "XDP",
    ),
    (
        "05",
        "Oʻzbekiston Ekologik partiyasi",
        "Ўзбекистон Экологик партияси",
        "Экологическая партия Узбекистана",
        "Ecological Party of Uzbekistan",
        "Ekologik partiya",
    ),
)


def seed_parties() -> int:
    """Idempotent: parties are found by registration number."""
    users = get_user_model().objects
    cec, rep = users.filter(username="cec").first(), users.filter(username="party").first()
    if cec is None:
        return 0
    created = 0
    for number, uz, cyrl, ru, en, short in PARTIES:
        party = Party.objects.filter(registration_number=number).first()
        if party is None:
            party = services.party_register(
                actor=cec, registration_number=number, name_uz=uz, name_uz_cyrl=cyrl, name_ru=ru, name_en=en, short_name=short
            )
            created += 1
            if number == "01" and rep is not None:
                services.party_representative_add(actor=cec, party=party, user=rep)
    return created
