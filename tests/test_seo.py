from defusedxml import ElementTree

from conditions.models import ConditionPage, MedicalReviewer
from tests.html import json_ld, page_text, select_one, text
from tests.medical_reviews import approve


def meta(response, attribute, name):
    return select_one(response, f'meta[{attribute}="{name}"]')["content"]


def test_condition_page_meta_tags_match_the_page(client, ms_page):
    response = client.get(ms_page.url)
    assert page_text(response, "title").startswith(f"{ms_page.title} | ")
    assert meta(response, "name", "description") == ms_page.summary
    assert (
        select_one(response, 'link[rel="canonical"]')["href"]
        == "http://localhost/conditions/multiple-sclerosis/"
    )
    assert meta(response, "property", "og:type") == "website"
    assert meta(response, "property", "og:title") == ms_page.title
    assert meta(response, "property", "og:description") == ms_page.summary
    assert meta(response, "name", "twitter:card") == "summary"


def test_search_description_overrides_the_summary(client, ms_page):
    ms_page.search_description = "A description written for search engines."
    ms_page.save_revision().publish()
    assert meta(client.get(ms_page.url), "name", "description") == "A description written for search engines."


def test_unreviewed_condition_page_claims_no_review_in_json_ld(client, ms_page):
    data = json_ld(client.get(ms_page.url))
    page = data["MedicalWebPage"]
    assert page["name"] == ms_page.title
    assert page["audience"]["audienceType"] == "Patient"
    assert page["about"] == {"@type": "MedicalCondition", "name": ms_page.title}
    assert "lastReviewed" not in page and "reviewedBy" not in page


def test_reviewed_condition_page_json_ld_matches_what_it_shows(client, ms_page, make_staff):
    user = make_staff("lena", "Medical reviewers")
    MedicalReviewer.objects.create(
        user=user,
        name="Dr Lena Park",
        credentials="MD, PhD",
        role="Neurologist",
        registration_body="General Medical Council",
        registration_number="1234567",
    )
    review = approve(ms_page, user)

    response = client.get(ms_page.url)
    html = response.content.decode()
    page = json_ld(response)["MedicalWebPage"]
    assert page["lastReviewed"] == review.reviewed_on.isoformat()
    assert page["reviewedBy"]["name"] == "Dr Lena Park"
    assert page["reviewedBy"]["url"] == f"http://localhost/reviewers/{review.reviewer.pk}/"
    assert client.get(page["reviewedBy"]["url"]).status_code == 200
    reviewed_by = select_one(response, f'#review p:has(> a[href="/reviewers/{review.reviewer.pk}/"])')
    assert text(reviewed_by.a) == page["reviewedBy"]["name"]
    # The qualification, role and registration patients read are the ones search engines are told.
    registration = page["reviewedBy"]["hasCredential"]
    assert registration == {
        "@type": "EducationalOccupationalCredential",
        "credentialCategory": "Professional registration",
        "recognizedBy": {"@type": "Organization", "name": "General Medical Council"},
        "identifier": "1234567",
    }
    assert text(reviewed_by) == (
        f"Medically reviewed by {page['reviewedBy']['name']}, "
        f"{page['reviewedBy']['honorificSuffix']}, {page['reviewedBy']['jobTitle']} "
        f"({registration['recognizedBy']['name']} number {registration['identifier']})"
    )
    assert review.reviewed_on.strftime("%-d %B %Y") in html


def test_a_version_published_without_review_claims_no_review_in_json_ld(client, ms_page, make_staff):
    approve(ms_page, make_staff("lena", "Medical reviewers"))
    ms_page.title = "Multiple sclerosis, changed after review"
    ms_page.save_revision().publish()

    page = json_ld(client.get(ms_page.url))["MedicalWebPage"]
    assert "lastReviewed" not in page and "reviewedBy" not in page


def test_every_page_has_a_breadcrumb_list_that_matches_its_breadcrumbs(client, db):
    crumbs = json_ld(client.get("/conditions/scleroderma/"))["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://localhost/"),
        (2, "Autoimmune conditions", "http://localhost/conditions/"),
        (3, "Scleroderma", "http://localhost/conditions/scleroderma/"),
    ]


def test_home_page_describes_the_clinic_from_its_settings(client, home):
    from core.models import ClinicSettings

    details = ClinicSettings.objects.get()
    details.phone, details.address = "020 7946 0000", "1 Harley Street\nLondon"
    details.save()
    clinic = json_ld(client.get("/"))["MedicalClinic"]
    assert clinic["name"] == details.name
    assert clinic["telephone"] == "020 7946 0000"
    assert clinic["address"]["streetAddress"] == "1 Harley Street, London"


def test_the_clinics_logo_reaches_search_engines_once_set(client, home):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from core.models import ClinicSettings

    assert "logo" not in json_ld(client.get("/"))["MedicalClinic"]
    details = ClinicSettings.objects.get()
    details.logo = Image.objects.create(title="Logo", file=get_test_image_file(filename="logo.png"))
    details.save()
    logo = json_ld(client.get("/"))["MedicalClinic"]["logo"]
    assert logo == "http://localhost" + details.logo.get_rendition("height-144").url


def test_json_ld_cannot_be_broken_out_of(client, ms_page):
    ms_page.title = "MS </script><script>alert(1)</script>"
    ms_page.save_revision().publish()
    response = client.get(ms_page.url)
    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["MedicalWebPage"]["name"] == ms_page.title


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring(response.content)
    return {url.find("s:loc", ns).text: url.find("s:lastmod", ns) for url in root.findall("s:url", ns)}


def test_sitemap_lists_every_live_page_with_lastmod_and_no_drafts(client, ms_page):
    from wagtail.models import Page

    draft = ms_page.get_parent().add_child(
        instance=ConditionPage(title="Lupus", slug="lupus", summary="Draft.", live=False)
    )
    locations = sitemap_locations(client)
    live_urls = {page.get_full_url() for page in Page.objects.live().public().filter(depth__gt=1)}
    assert set(locations) == live_urls
    assert all(lastmod is not None for lastmod in locations.values())
    assert draft.get_full_url() not in locations


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://localhost/sitemap.xml" in body


def test_moved_pages_keep_their_links_through_redirects(client, db):
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(
        old_path="/ms", redirect_page=ConditionPage.objects.get(slug="multiple-sclerosis")
    )
    response = client.get("/ms/")
    assert response.status_code == 301 and response["Location"].endswith("/conditions/multiple-sclerosis/")


def test_article_page_json_ld_cites_what_the_page_shows(client, db):
    from articles.models import ArticlePage

    article = ArticlePage.objects.get(doi="10.1056/NEJMoa1703327")
    response = client.get(article.url)
    html = response.content.decode()
    data = json_ld(response)["ScholarlyArticle"]
    assert data["headline"] == article.title
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.1056/NEJMoa1703327",
    }
    assert data["datePublished"] == "2018-01-04"
    assert data["isPartOf"]["name"] == "New England Journal of Medicine"
    assert data["about"] == [{"@type": "MedicalCondition", "name": "Scleroderma"}]
    # Long summaries are shortened for search results.
    assert article.summary.startswith(meta(response, "name", "description").removesuffix("…"))
    assert f'<time datetime="{data["datePublished"]}">' in html


def test_news_is_not_dressed_up_as_scholarship(client, db):
    from articles.models import ArticlePage

    news = ArticlePage.objects.filter(kind="news").first()
    data = json_ld(client.get(news.url))
    assert "ScholarlyArticle" not in data and data["Article"]["genre"] == "News"


def test_treatment_status_is_on_the_articles_listing(client, db):
    html = client.get("/articles/").content.decode()
    assert "Treatment status" in html and "is experimental" in html
