import pytest
from django.views.defaults import server_error
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from core.models import ClinicSettings
from tests.html import page_text, select, select_one, text


def test_unknown_url_gets_the_designed_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in page_text(response, "main")
    assert select_one(response, "header.site-header")


def test_the_404_page_offers_search_that_finds_pages(client, db):
    search = select_one(client.get("/multiple-sclerosiss/"), 'main form[role="search"]')
    assert search["action"] == "/search/" and search.select_one('input[name="q"]')
    # Searching from there finds what the mistyped address was after.
    results = client.get("/search/", {"q": "multiple sclerosis"})
    assert select(results, 'main a[href="/conditions/multiple-sclerosis/"]')


def test_header_navigation_comes_from_the_page_tree(client, home):
    links = [link["href"] for link in select(client.get("/"), 'nav[aria-label="Main"] a')]
    assert "/conditions/" in links and "/about/" in links
    # Pages not marked "show in menus" stay out of it.
    assert "/privacy/" not in links


def test_current_section_is_marked_in_the_navigation(client, db):
    current = select(client.get("/conditions/scleroderma/"), 'nav[aria-label="Main"] a[aria-current="page"]')
    assert [link["href"] for link in current] == ["/conditions/"]


def test_breadcrumbs_lead_back_up_the_tree(client, db):
    crumbs = select_one(client.get("/conditions/scleroderma/"), 'nav[aria-label="Breadcrumb"]')
    assert [link["href"] for link in crumbs.select("a")] == ["/", "/conditions/"]
    assert text(crumbs.select("li")[-1]) == "Scleroderma"


def test_footer_shows_contact_details_from_site_settings(client, home):
    details = ClinicSettings.objects.get()
    details.phone = "020 7946 0000"
    details.email = "hello@clinic.example"
    details.address = "1 Harley Street\nLondon"
    details.save()
    footer = select_one(client.get("/"), "footer")
    phone, email = footer.select(".clinic-details__contact a")
    assert (text(phone), phone["href"]) == ("020 7946 0000", "tel:02079460000")
    assert email["href"] == "mailto:hello@clinic.example"
    # The address keeps its lines.
    assert list(footer.address.stripped_strings) == ["1 Harley Street", "London"]


def test_footer_gives_opening_hours_and_the_regulators_registration_once_set(client, home):
    footer = page_text(client.get("/"), "footer")
    assert "Opening hours" not in footer and "Care Quality Commission" not in footer
    details = ClinicSettings.objects.get()
    details.opening_hours = "Mon–Fri 9:00–17:00\nSat 9:00–12:00"
    details.registration = "Registered with the Care Quality Commission, provider ID 1-000000000"
    details.save()
    footer = select_one(client.get("/conditions/"), "footer")
    hours = footer.select_one('section[aria-labelledby="footer-hours"] p')
    assert list(hours.stripped_strings) == ["Mon–Fri 9:00–17:00", "Sat 9:00–12:00"]
    assert "Registered with the Care Quality Commission, provider ID 1-000000000" in text(footer)


@pytest.fixture
def logo(home):
    image = Image.objects.create(title="Clinic logo", file=get_test_image_file(filename="logo.png"))
    details = ClinicSettings.objects.get()
    details.logo = image
    details.save()
    return image


def header_logo(response):
    return select_one(response, "header.site-header .site-header__name img")


def test_the_clinics_logo_stands_beside_its_name_in_the_header(client, logo):
    name = ClinicSettings.objects.get().name
    link = select_one(client.get("/conditions/"), "header.site-header .site-header__name")
    # Beside the name it shows, the logo says nothing more: the link reads the name once.
    assert (text(link), link.img["alt"]) == (name, "")
    assert link.img["src"] == logo_url(logo)


def logo_url(image):
    return image.get_rendition("height-144").url


def test_a_new_logo_file_reaches_the_header_of_every_page(client, logo):
    old = logo_url(logo)
    assert header_logo(client.get("/about/"))["src"] == old
    # As the admin replaces an image's file: the image saved, then its old renditions deleted.
    logo.file = get_test_image_file(filename="new-logo.png")
    logo.save()
    logo.renditions.all().delete()
    assert header_logo(client.get("/about/"))["src"] == logo_url(logo) != old


def test_the_home_page_shows_the_treatment_status(client, home):
    main = page_text(client.get("/"), "main")
    assert "Treatment status" in main
    assert "No mesenchymal stem cell treatment is approved by regulators" in main


def test_every_page_carries_the_skip_link_and_landmarks(client, db):
    response = client.get("/conditions/")
    assert select_one(response, "a.skip-link")["href"] == "#main"
    assert select_one(response, "main")["id"] == "main"
    assert select_one(response, "header") and select_one(response, "footer")


def test_server_error_page_is_in_the_sites_design_without_touching_the_database(rf):
    # No `db` fixture: any query made while rendering the page would fail this test.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert select_one(response, 'link[rel="stylesheet"][href$="site.css"]')
    assert "Traceback" not in html


@pytest.mark.parametrize("url", ["/", "/conditions/scleroderma/", "/articles/", "/no-such-page/"])
def test_every_page_has_search_in_its_header(client, db, url):
    # A plain form: it works without JavaScript.
    form = select_one(client.get(url), 'header.site-header form[role="search"]')
    assert form["action"] == "/search/" and form["method"] == "get"
    assert form["aria-label"] == "Site search"
    box = form.select_one('input[type="search"][name="q"]')
    assert text(form.select_one(f'label[for="{box["id"]}"]')) == "Search this site"
    assert text(form.select_one('button[type="submit"]')) == "Search"


@pytest.mark.parametrize("url", ["/search/?q=myelin", "/no-such-page/"])
def test_two_search_forms_on_a_page_stay_apart(client, db, url):
    response = client.get(url)
    ids = [element["id"] for element in select(response, "[id]")]
    assert len(ids) == len(set(ids))
    # Each search landmark has a name of its own, so that a screen reader's list of them tells them apart.
    names = [form["aria-label"] for form in select(response, 'form[role="search"]')]
    assert len(names) == 2 and len(set(names)) == 2
