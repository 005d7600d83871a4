import pytest
from django.views.defaults import server_error
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from core.models import ClinicSettings


def test_unknown_url_gets_the_designed_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="site-header"' in html


def test_the_404_page_offers_search_that_finds_pages(client, db):
    html = client.get("/multiple-sclerosiss/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert 'role="search"' in main and 'action="/search/"' in main and 'name="q"' in main
    # Searching from there finds what the mistyped address was after.
    results = client.get("/search/", {"q": "multiple sclerosis"}).content.decode()
    assert 'href="/conditions/multiple-sclerosis/"' in results


def test_header_navigation_comes_from_the_page_tree(client, home):
    html = client.get("/").content.decode()
    nav = html[html.index('aria-label="Main"') : html.index("</nav>")]
    assert 'href="/conditions/"' in nav and 'href="/about/"' in nav
    # Pages not marked "show in menus" stay out of it.
    assert "/privacy/" not in nav


def test_current_section_is_marked_in_the_navigation(client, db):
    html = client.get("/conditions/scleroderma/").content.decode()
    assert '<a href="/conditions/" aria-current="page">' in html


def test_breadcrumbs_lead_back_up_the_tree(client, db):
    html = client.get("/conditions/scleroderma/").content.decode()
    crumbs = html[html.index('aria-label="Breadcrumb"') :]
    assert crumbs.index('href="/"') < crumbs.index('href="/conditions/"') < crumbs.index("Scleroderma")


def test_footer_shows_contact_details_from_site_settings(client, home):
    details = ClinicSettings.objects.get()
    details.phone = "020 7946 0000"
    details.email = "hello@clinic.example"
    details.address = "1 Harley Street\nLondon"
    details.save()
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert "020 7946 0000" in footer and 'href="tel:02079460000"' in footer
    assert "mailto:hello@clinic.example" in footer
    assert "1 Harley Street<br>London" in footer


def test_footer_gives_opening_hours_and_the_regulators_registration_once_set(client, home):
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert "Opening hours" not in footer and "Care Quality Commission" not in footer
    details = ClinicSettings.objects.get()
    details.opening_hours = "Mon–Fri 9:00–17:00\nSat 9:00–12:00"
    details.registration = "Registered with the Care Quality Commission, provider ID 1-000000000"
    details.save()
    footer = client.get("/conditions/").content.decode().split("<footer", 1)[1]
    assert "Mon–Fri 9:00–17:00<br>Sat 9:00–12:00" in footer
    assert "Registered with the Care Quality Commission, provider ID 1-000000000" in footer


@pytest.fixture
def logo(home):
    image = Image.objects.create(title="Clinic logo", file=get_test_image_file(filename="logo.png"))
    details = ClinicSettings.objects.get()
    details.logo = image
    details.save()
    return image


def header(html):
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_clinics_logo_stands_beside_its_name_in_the_header(client, logo):
    name = ClinicSettings.objects.get().name
    html = header(client.get("/conditions/").content.decode())
    # Beside the name it shows, the logo says nothing more: the link reads the name once.
    assert f'alt="">{name}</a>' in html
    assert f'src="{logo_url(logo)}"' in html


def logo_url(image):
    return image.get_rendition("height-144").url


def test_a_new_logo_file_reaches_the_header_of_every_page(client, logo):
    old = logo_url(logo)
    assert old in header(client.get("/about/").content.decode())
    # As the admin replaces an image's file: the image saved, then its old renditions deleted.
    logo.file = get_test_image_file(filename="new-logo.png")
    logo.save()
    logo.renditions.all().delete()
    html = header(client.get("/about/").content.decode())
    assert logo_url(logo) in html and old not in html


def test_the_home_page_shows_the_treatment_status(client, home):
    html = client.get("/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "Treatment status" in main
    assert "No mesenchymal stem cell treatment is approved by regulators" in main


def test_every_page_carries_the_skip_link_and_landmarks(client, db):
    html = client.get("/conditions/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html


def test_server_error_page_is_in_the_sites_design_without_touching_the_database(rf):
    # No `db` fixture: any query made while rendering the page would fail this test.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "site.css" in html
    assert "Traceback" not in html


def test_every_page_leads_to_search(client, db):
    for url in ("/", "/conditions/scleroderma/", "/articles/"):
        footer = client.get(url).content.decode().split("<footer", 1)[1]
        assert '<a href="/search/">Search this site</a>' in footer, url
