"""The audience questions every funder asks La Coursive, so that a new site starts with them (editable after)."""

from django.db import migrations

QUESTIONS = [
    (
        "quartier",
        "Vous habitez",
        "Les quartiers prioritaires (QPV) de Dijon sont notamment les Grésilles, Fontaine d'Ouche, le Mail.",
        [
            "Aux Grésilles",
            "Dans un autre quartier prioritaire de Dijon",
            "À Dijon, hors quartier prioritaire",
            "Dans la métropole (hors Dijon)",
            "Ailleurs",
        ],
    ),
    ("age", "Votre tranche d'âge", "", ["Moins de 18 ans", "18 à 25 ans", "26 à 64 ans", "65 ans et plus"]),
    ("premiere_venue", "Est-ce votre première venue à La Coursive ?", "", ["Oui", "Non"]),
    (
        "statut",
        "Vous venez en tant que",
        "",
        ["Habitant·e", "Professionnel·le", "Étudiant·e", "Autre"],
    ),
]


def create(apps, schema_editor):
    AudienceQuestion = apps.get_model("registrations", "AudienceQuestion")
    for order, (key, label, help_text, choices) in enumerate(QUESTIONS):
        AudienceQuestion.objects.get_or_create(
            key=key,
            defaults={"label": label, "help_text": help_text, "choices": "\n".join(choices), "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0013_audience_statistics")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
