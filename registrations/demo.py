"""Demo registration settings: two questions and a few clearly fictitious registrants on the upcoming workshop."""

from django.utils import timezone

from events.demo import UPCOMING_WORKSHOP_SLUG
from events.models import EventPage
from registrations.models import (
    QuestionType,
    Registration,
    RegistrationQuestion,
    RegistrationSource,
    RegistrationStatus,
)

QUESTIONS = [
    {
        "label": "Type de structure",
        "field_type": QuestionType.SINGLE_CHOICE,
        "required": True,
        "choices": "Association\nMusée ou institution culturelle\nTiers-lieu\nCollectivité\n"
        "Recherche ou enseignement\nÀ titre personnel",
        "help_text": "Pour équilibrer les tables d'échange.",
    },
    {
        "label": "Repas du midi",
        "field_type": QuestionType.MULTIPLE_CHOICE,
        "required": False,
        "choices": "Végétarien\nSans gluten\nSans porc\nJe ne déjeune pas sur place",
        "help_text": "Le déjeuner est offert ; cochez ce qui vous concerne.",
    },
]

# Obviously fictitious people (example.org addresses never receive mail).
DEMO_PEOPLE = [
    ("Alix", "Exemple", "Association"),
    ("Dominique", "Démo", "Tiers-lieu"),
    ("Sacha", "Fictif", "Musée ou institution culturelle"),
]


def load(site):
    """Questions and three demo registrations on the upcoming workshop (idempotent)."""
    event = EventPage.objects.filter(slug=UPCOMING_WORKSHOP_SLUG).first()
    if event is None:
        return
    if not event.registration_questions.exists():
        for order, question in enumerate(QUESTIONS):
            RegistrationQuestion.objects.create(page=event, sort_order=order, **question)
        # Keep the questions in the latest revision, so that the editor shows them.
        event = EventPage.objects.get(pk=event.pk)
        event.save_revision().publish()
    questions = {q.label: q.answer_key for q in event.registration_questions.all()}
    for first_name, last_name, kind in DEMO_PEOPLE:
        email = f"{first_name}.{last_name}@example.org".lower()
        if event.registrations.filter(email=email).exists():
            continue
        # Seed rows written directly (no e-mail to send, 3 of 30 seats: nothing to decide).
        Registration.objects.create(
            event=event,
            first_name=first_name,
            last_name=last_name,
            email=email,
            answers={questions["Type de structure"]: kind, questions["Repas du midi"]: []},
            status=RegistrationStatus.CONFIRMED,
            source=RegistrationSource.STAFF,
            status_changed_at=timezone.now(),
        )
