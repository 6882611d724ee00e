"""The registration form under bad input and keyboard-only use, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible, focused_element_style, save_screenshots

pytestmark = pytest.mark.e2e

REQUIRED = "Champ requis."  # Django 5.2's French wording
CONSENT_REQUIRED = "Cochez cette case pour que nous puissions enregistrer votre inscription."


def form_url(workshop):
    return f"/inscription/{workshop.pk}/"


def field(page, label):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


def error_next_to(page, input_id):
    """The message printed beside a field (and tied to it by aria-describedby)."""
    described_by = page.locator(f"#{input_id}").get_attribute("aria-describedby") or ""
    assert f"{input_id}_error" in described_by.split(), f"#{input_id} is not described by its error"
    return page.locator(f"#{input_id}_error").inner_text().strip()


def test_empty_form_shows_french_errors_beside_fields_and_saves_nothing(page, workshop, axe_source):
    page.goto(form_url(workshop))
    page.get_by_role("button", name="M'inscrire").click()

    summary = page.get_by_role("alert")
    assert summary.get_by_role("heading").inner_text() == "Le formulaire contient des erreurs"
    assert page.evaluate("document.activeElement.id") == "resume-erreurs", "the summary takes focus"
    for input_id in ("id_first_name", "id_last_name", "id_email", "id_consent"):
        expected = CONSENT_REQUIRED if input_id == "id_consent" else REQUIRED
        assert error_next_to(page, input_id) == expected
        assert page.locator(f"#{input_id}").get_attribute("aria-invalid") == "true"
    question = workshop.registration_questions.get(required=True)
    assert page.locator(f"#id_q{question.pk}_error").inner_text().strip() == REQUIRED
    summary_links = summary.get_by_role("link").all_inner_texts()
    assert f"Prénom : {REQUIRED}" in summary_links
    assert f"Consentement : {CONSENT_REQUIRED}" in summary_links
    assert workshop.registrations.count() == 0
    assert_accessible(page, axe_source, "formulaire d'inscription avec erreurs")
    save_screenshots(page, "inscription-erreurs")


def test_bad_email_and_overlong_fields_are_refused_and_typed_values_kept(page, workshop):
    page.goto(form_url(workshop))
    long_name = "Maximilienne-" * 12  # 156 characters, the field allows 100
    long_answer = "vélo " * 500  # 2,500 characters, the question allows 2,000
    # The browser's maxlength would stop a person typing; a robot or an old browser does not care.
    page.evaluate("document.querySelectorAll('[maxlength]').forEach(el => el.removeAttribute('maxlength'))")
    field(page, "Prénom").fill(long_name)
    field(page, "Nom").fill("Dupont")
    field(page, "Adresse e-mail").fill("pas-une-adresse@")
    field(page, "Téléphone").fill("appelez-moi")
    field(page, "Ce que vous aimeriez apprendre").fill(long_answer)
    page.get_by_role("group", name=re.compile("Venez-vous avec votre vélo")).get_by_label("Oui").check()
    page.get_by_label(re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()

    expect(page.get_by_role("alert")).to_be_visible()
    assert error_next_to(page, "id_email") == "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
    assert error_next_to(page, "id_first_name") == (
        f"Assurez-vous que cette valeur comporte au plus 100 caractères (actuellement {len(long_name)})."
    )
    assert error_next_to(page, "id_phone").startswith("Saisissez un numéro de téléphone")
    question = workshop.registration_questions.get(label__startswith="Ce que")
    assert "au plus 2000 caractères" in page.locator(f"#id_q{question.pk}_error").inner_text()
    # What the person typed is still there, ready to correct.
    assert field(page, "Prénom").input_value() == long_name
    assert field(page, "Nom").input_value() == "Dupont"
    assert field(page, "Adresse e-mail").input_value() == "pas-une-adresse@"
    assert field(page, "Ce que vous aimeriez apprendre").input_value() == long_answer
    assert page.get_by_role("group", name=re.compile("Venez-vous avec votre vélo")).get_by_label("Oui").is_checked()
    assert workshop.registrations.count() == 0

    # Corrected, the same form goes through.
    field(page, "Prénom").fill("Maximilienne")
    field(page, "Adresse e-mail").fill("max.dupont@example.org")
    field(page, "Téléphone").fill("03 80 00 00 00")
    field(page, "Ce que vous aimeriez apprendre").fill("Les freins.")
    page.get_by_role("button", name="M'inscrire").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre boîte mail"
    assert workshop.registrations.get().first_name == "Maximilienne"


def tab_to(page, predicate_js, *, backwards=False, limit=80):
    """Press Tab (or Shift+Tab) until the focused element matches, checking the focus ring at every stop."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        focus = focused_element_style(page)
        assert focus["visible"], f"no visible focus indicator on {focus} (going to {predicate_js})"
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"never reached an element matching {predicate_js}")


def focus_on(name):
    return f"el.name === {name!r}"


def register_by_keyboard(page, first_name, last_name, email):
    """Fill a registration form's name, e-mail and consent with the keyboard alone, then send it."""
    tab_to(page, focus_on("first_name"))
    page.keyboard.type(first_name)
    tab_to(page, focus_on("last_name"))
    page.keyboard.type(last_name)
    tab_to(page, focus_on("email"))
    page.keyboard.type(email)
    tab_to(page, focus_on("consent"))
    page.keyboard.press("Space")
    tab_to(page, "el.type === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_registration_by_keyboard_only(page, workshop):
    page.goto(form_url(workshop))
    question = workshop.registration_questions.get(required=True)

    tab_to(page, focus_on("first_name"))
    page.keyboard.type("Inès")
    tab_to(page, focus_on("last_name"))
    page.keyboard.type("Lefèvre")
    tab_to(page, focus_on("email"))
    page.keyboard.type("ines@exemple")  # no dot in the domain: refused
    tab_to(page, focus_on(f"q{question.pk}"))
    page.keyboard.press("Space")
    tab_to(page, focus_on("consent"))
    page.keyboard.press("Space")
    tab_to(page, "el.type === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "resume-erreurs", "the error summary receives focus"
    focus = focused_element_style(page)
    assert focus["visible"], f"the focused error summary shows no focus ring: {focus}"
    assert workshop.registrations.count() == 0

    # From the summary, the link leads to the field at fault.
    tab_to(page, "el.getAttribute('href') === '#id_email'")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "email", "the summary link focuses the field"
    assert focused_element_style(page)["visible"]
    page.keyboard.press("Control+A")
    page.keyboard.type("ines@exemple.org")
    # Back up with Shift+Tab to check the consent box is still ticked, then on to the button.
    tab_to(page, focus_on("last_name"), backwards=True)
    assert field(page, "Nom").input_value() == "Lefèvre"
    tab_to(page, "el.type === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre boîte mail"
    registration = workshop.registrations.get()
    assert (registration.first_name, registration.email) == ("Inès", "ines@exemple.org")
