"""Admin downloads: streamed CSV, XLSX, sign-in sheets (PDF and printable HTML)."""

import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import PageLogEntry

from events.models import EventPartner, Venue
from home.models import Partner
from registrations import signin_sheet
from registrations.models import RegistrationStatus
from registrations.signin_sheet import render_pdf, to_latin1
from tests.registrations.factories import RegistrationFactory

INJECTION = '=HYPERLINK("x")'


@pytest.fixture
def attendees(event):
    RegistrationFactory(event=event, first_name=INJECTION, last_name="Zorro", organisation="@Asso")
    RegistrationFactory(event=event, first_name="Élodie", last_name="Bérénice", organisation="Maison des œuvres")
    RegistrationFactory(event=event, first_name="Absent", last_name="Annulé", status=RegistrationStatus.CANCELLED)
    return event


def test_csv_download_is_streamed_and_formula_safe(manager_client, manager, attendees):
    response = manager_client.get(reverse("inscriptions:export", args=[attendees.pk, "csv"]))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="inscriptions-atelier-numerique-' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeffPrénom;Nom;")
    assert '"\'=HYPERLINK(""x"")";Zorro;' in content
    assert ";'@Asso;" in content
    assert PageLogEntry.objects.filter(page=attendees, action="registrations.export", user=manager).exists()


def test_csv_status_filter_and_unknown_status(manager_client, attendees):
    url = reverse("inscriptions:export", args=[attendees.pk, "csv"])
    content = b"".join(manager_client.get(url, {"statut": "cancelled"}).streaming_content).decode()
    assert "Annulé" in content and "Zorro" not in content
    assert manager_client.get(url, {"statut": "nope"}).status_code == 404


def test_xlsx_download_keeps_injection_as_text(manager_client, attendees):
    response = manager_client.get(reverse("inscriptions:export", args=[attendees.pk, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    assert cells[INJECTION].data_type == "s"
    assert cells["@Asso"].data_type == "s"
    assert all(cell.data_type != "f" for cell in cells.values())


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_pdf_signin_sheet_lists_confirmed_people_with_page_numbers(manager_client, attendees):
    attendees.venue = Venue.objects.create(name="La Coursive", address="2 rue Boutaric", postcode="21000")
    attendees.save()
    response = manager_client.get(reverse("inscriptions:signin_pdf", args=[attendees.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "BÉRÉNICE Élodie" in text
    assert "Maison des œuvres" in text  # œ is outside Latin-1: printed as typed with the Unicode font
    assert "Annulé" not in text.replace("Atelier", "")
    assert "La Coursive, 2 rue Boutaric, 21000 Dijon" in text
    assert "Page 1/1" in text
    assert "Atelier numérique" in text


def test_pdf_paginates_with_header_on_every_page(manager_client, event):
    for index in range(45):
        RegistrationFactory(event=event, last_name=f"Nom{index:02d}")
    response = manager_client.get(reverse("inscriptions:signin_pdf", args=[event.pk]), {"vierges": "5"})
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        page_text = page.extract_text()
        assert f"Page {number}/{len(pages)}" in page_text
        assert "Atelier numérique" in page_text and "Signature" in page_text


def test_pdf_with_partner_logo(manager_client, attendees):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    logo = Image.objects.create(title="Logo", file=get_test_image_file())
    partner = Partner.objects.create(name="Ville de Dijon", logo=logo)
    EventPartner.objects.create(page=attendees, partner=partner)
    response = manager_client.get(reverse("inscriptions:signin_pdf", args=[attendees.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages[0].images) == 1


def test_pdf_adds_the_funders_chosen_in_the_settings_once(manager_client, attendees):
    """The settings' funders print on every sheet after the event's partners, never twice."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Site

    from home.models import SiteSettings

    def logo(colour):
        return Image.objects.create(title=colour, file=get_test_image_file(colour=colour))  # distinct images

    region = Partner.objects.create(name="Région", logo=logo("red"))
    city = Partner.objects.create(name="Ville", logo=logo("blue"))
    EventPartner.objects.create(page=attendees, partner=city, role="funder")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.signin_sheet_funders.set([region, city])
    site_settings.save()
    response = manager_client.get(reverse("inscriptions:signin_pdf", args=[attendees.pk]))
    assert len(PdfReader(io.BytesIO(response.content)).pages[0].images) == 2
    html = manager_client.get(reverse("inscriptions:signin_html", args=[attendees.pk])).content.decode()
    assert html.count("<img") == 2


def test_html_signin_sheet_rows(manager_client, attendees):
    response = manager_client.get(reverse("inscriptions:signin_html", args=[attendees.pk]), {"vierges": "3"})
    page = response.content.decode()
    assert "@page { size: A4 portrait" in page
    assert "BÉRÉNICE" in page and "Élodie" in page
    assert "Annulé" not in page
    assert page.count('<tr class="blank">') == 3
    assert "<td>5</td>" in page  # two attendees, then blank rows 3 to 5


def test_latin1_fallback():
    assert to_latin1("Café « l’œuvre » — 5 €") == "Café « l'oeuvre » - 5 EUR"
    assert to_latin1("Łódź") == "?ód?"


def embedded_fonts(reader):
    return {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }


@pytest.fixture
def international(event):
    RegistrationFactory(event=event, first_name="Văn An", last_name="Nguyễn", organisation="Maison\x0bdu Monde")
    RegistrationFactory(event=event, first_name="Ayşe", last_name="Şahin", organisation="Œuvre – Żółć")
    RegistrationFactory(event=event, first_name="Łukasz", last_name="Kowalski", organisation="Ørsted")
    return event


def test_pdf_prints_names_beyond_latin1_with_an_embedded_unicode_font(manager_client, international):
    response = manager_client.get(reverse("inscriptions:signin_pdf", args=[international.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for name in ["NGUYỄN Văn An", "ŞAHIN Ayşe", "KOWALSKI Łukasz", "Œuvre – Żółć", "Ørsted", "Feuille d'émargement"]:
        assert name in text
    assert "Maison du Monde" in text  # a line break pasted from Word prints as a space
    assert "?" not in text
    assert all("SourceSansPro" in font for font in embedded_fonts(reader))


def test_pdf_falls_back_to_helvetica_when_the_font_file_is_missing(international, monkeypatch, caplog):
    monkeypatch.setitem(signin_sheet.FONT_FILES, "B", "Absente-Bold.ttf")
    assert signin_sheet.unicode_font_files() is None
    reader = PdfReader(io.BytesIO(render_pdf(international)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert embedded_fonts(reader) == {"/Helvetica", "/Helvetica-Bold"}
    assert "KOWALSKI ?ukasz" in text  # Latin-1 only, but the sheet still prints
    assert "Police Unicode introuvable" in caplog.text
