"""Marketing looks after the articles in the Wagtail admin, and nothing else."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Revision
from wagtail.test.utils.form_data import rich_text

from articles.models import ArticleIndexPage, ArticlePage, LinkStatus
from conditions.models import ConditionPage
from tests.admin_forms import article_page_form, condition_page_form
from tests.html import page_text, select, select_one, text


@pytest.fixture
def conditions(db):
    return {page.slug: page for page in ConditionPage.objects.all()}


@pytest.fixture
def marketer(client, make_staff):
    user = make_staff("marketer", "Marketing")
    client.force_login(user)
    return user


def add_url(article_index):
    return reverse("wagtailadmin_pages:add", args=["articles", "articlepage", article_index.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def listed_on(client, condition):
    return bool(select(client.get(condition.url), 'a[href="https://example.org/new-trial"]'))


def test_marketing_publishes_an_article_onto_exactly_its_two_conditions(
    client, marketer, article_index, conditions
):
    ms, ra, scleroderma = (
        conditions["multiple-sclerosis"],
        conditions["rheumatoid-arthritis"],
        conditions["scleroderma"],
    )
    response = client.post(
        add_url(article_index),
        article_page_form(
            title="A new trial",
            slug="a-new-trial",
            conditions=[ms, ra],
            external_url="https://example.org/new-trial",
            action="action-publish",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.get(slug="a-new-trial")
    assert article.live and article.owner == marketer

    client.logout()
    assert listed_on(client, ms) and listed_on(client, ra)
    assert not listed_on(client, scleroderma)

    client.force_login(marketer)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    assert response.status_code == 302
    client.logout()
    assert not listed_on(client, ms) and not listed_on(client, ra)


def test_a_saved_draft_is_not_listed_for_patients(client, marketer, article_index, conditions):
    ms = conditions["multiple-sclerosis"]
    form = article_page_form(
        title="A draft", slug="a-draft", conditions=[ms], external_url="https://example.org/new-trial"
    )
    assert client.post(add_url(article_index), form).status_code == 302
    client.logout()
    assert not listed_on(client, ms)


def test_article_changes_leave_condition_pages_and_their_history_alone(
    client, marketer, article_index, conditions
):
    ms = conditions["multiple-sclerosis"]
    before = (Revision.page_revisions.filter(object_id=str(ms.pk)).count(), ms.latest_revision_id)
    client.post(
        add_url(article_index),
        article_page_form(
            title="A new trial",
            slug="a-new-trial",
            conditions=[ms],
            external_url="https://example.org/new-trial",
            action="action-publish",
        ),
    )
    article = ArticlePage.objects.get(slug="a-new-trial")
    client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    ms.refresh_from_db()
    assert (Revision.page_revisions.filter(object_id=str(ms.pk)).count(), ms.latest_revision_id) == before
    assert not ms.has_unpublished_changes


def test_marketing_cannot_edit_a_condition_page(client, marketer, conditions):
    ms = conditions["multiple-sclerosis"]
    response = client.get(edit_url(ms))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    client.post(
        edit_url(ms), condition_page_form(ms, paragraphs=["Marketing copy."], action="action-publish")
    )
    ms.refresh_from_db()
    assert "Marketing copy." not in str(ms.body)
    assert not Revision.page_revisions.filter(
        object_id=str(ms.pk), content__icontains="Marketing copy"
    ).exists()


@pytest.mark.parametrize("slug", ["", "conditions", "about"])
def test_marketing_cannot_edit_any_page_outside_the_articles(client, marketer, slug):
    page = Page.objects.get(depth=2) if not slug else Page.objects.get(depth=3, slug=slug)
    assert client.get(edit_url(page)).status_code == 302
    assert not page.permissions_for_user(marketer).can_edit()
    assert not page.permissions_for_user(marketer).can_add_subpage()


def test_marketing_cannot_add_pages_elsewhere(client, marketer, conditions):
    url = reverse(
        "wagtailadmin_pages:add",
        args=["conditions", "conditionpage", conditions["scleroderma"].get_parent().pk],
    )
    assert client.get(url).status_code == 302


def test_marketing_may_edit_every_article(client, marketer):
    for article in ArticlePage.objects.all():
        assert article.permissions_for_user(marketer).can_publish(), article.title


def test_marketing_uploads_and_chooses_images_but_edits_nothing_else(marketer):
    codenames = set(Group.objects.get(name="Marketing").permissions.values_list("codename", flat=True))
    assert {"access_admin", "add_image", "choose_image"} <= codenames
    editing = {name for name in codenames if name.startswith(("add_", "change_", "delete_", "choose_"))}
    assert editing == {"add_image", "choose_image"}


def test_a_new_articles_index_made_in_the_admin_is_marketings(client, admin_user, home, article_index):
    # The index exists once per site; remove it to add it back through the admin.
    article_index.delete()
    assert not GroupPagePermission.objects.filter(group__name="Marketing").exists()
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:add", args=["articles", "articleindexpage", home.pk])
    form = {
        "title": "Research and reading",
        "slug": "articles",
        "introduction": rich_text("<p>What research says.</p>"),
        "action-publish": "1",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    new_index = ArticleIndexPage.objects.get()
    granted = GroupPagePermission.objects.filter(group__name="Marketing", page=new_index)
    assert set(granted.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
        "publish_page",
    }


def test_marketing_previews_an_article_before_publishing(client, marketer, article_index, conditions):
    url = reverse("wagtailadmin_pages:preview_on_add", args=["articles", "articlepage", article_index.pk])
    form = article_page_form(
        title="Previewed",
        slug="previewed",
        conditions=[conditions["scleroderma"]],
        doi="10.1000/previewed.paper",  # not an initial article's: an identifier names one article
    )
    assert client.post(url, form).json()["is_valid"] is True
    preview = client.get(url)
    assert page_text(preview, "h1") == "Previewed"
    assert select(preview, 'a[href="/conditions/scleroderma/"]')
    assert select(preview, 'a[href="https://doi.org/10.1000/previewed.paper"]')
    assert not ArticlePage.objects.filter(slug="previewed").exists()


class TestEditorValidation:
    """Bad identifiers are refused with a message on the field, and the editor's other input is kept."""

    def post(self, client, article_index, conditions, **fields):
        fields.setdefault("external_url", "https://example.org/paper")
        form = article_page_form(
            title="A checked article",
            slug="a-checked-article",
            conditions=[conditions["scleroderma"]],
            **fields,
        )
        return client.post(add_url(article_index), form)

    def field_errors(self, response):
        assert response.status_code == 200
        form = response.context["form"]
        return {name: " ".join(errors) for name, errors in form.errors.items()}

    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("doi", "10.1056", "Enter a DOI such as"),
            ("doi", "NEJMoa1703327", "Enter a DOI such as"),
            ("doi", "https://example.org/10.1056/NEJMoa1703327", "Enter a DOI such as"),
            ("pmid", "22236384a", "digits only"),
            ("pmid", "2223-6384", "digits only"),
            ("nct_id", "NCT0011453", "NCT followed by 8 digits"),
            ("nct_id", "00114530", "NCT followed by 8 digits"),
            ("external_url", "javascript:alert(document.cookie)", "starting with https://"),
            ("external_url", "data:text/html,<script>alert(1)</script>", "starting with https://"),
            ("external_url", "ftp://example.org/paper.pdf", "starting with https://"),
        ],
    )
    def test_invalid_values_get_a_field_error(
        self, client, marketer, article_index, conditions, field, value, message
    ):
        response = self.post(client, article_index, conditions, **{field: value})
        errors = self.field_errors(response)
        assert message in errors[field]
        assert not ArticlePage.objects.filter(slug="a-checked-article").exists()
        # What the editor typed is still in the form to correct.
        assert response.context["form"]["summary"].value() == "What the study found, in plain language."

    @pytest.mark.parametrize(
        "field, existing, pasted",
        [
            ("doi", "10.1000/Clinic.Test", "https://doi.org/10.1000/clinic.test"),  # DOIs ignore case
            ("pmid", "11111111", "PMID: 11111111"),
            ("nct_id", "NCT11111111", "https://clinicaltrials.gov/study/nct11111111"),
            ("external_url", "https://example.org/the-trial", "https://example.org/the-trial"),
        ],
    )
    def test_an_identifier_another_article_has_is_refused_with_a_link_to_it(
        self, client, marketer, article_index, conditions, field, existing, pasted
    ):
        """Problem 6: a second article with the same DOI listed the same trial twice on the MS page."""
        first = ArticlePage.objects.live().first()
        setattr(first, field, existing)
        first.save_revision().publish()
        fields = (
            {field: pasted}
            if field == "external_url"
            else {field: pasted, "external_url": "https://b.example/"}
        )
        errors = self.post(client, article_index, conditions, **fields).context["form"].errors[field]
        edit_link = f'<a href="{edit_url(first)}">{first.title}</a>'
        assert f"The article {edit_link} already has this" in errors[0]
        assert not ArticlePage.objects.filter(slug="a-checked-article").exists()

    def test_an_article_keeps_its_own_identifiers_when_edited(self, client, marketer):
        article = ArticlePage.objects.live().exclude(doi="").first()
        article.full_clean()  # its own DOI is no duplicate

    @pytest.mark.parametrize(
        "address, rule",
        [
            ("http://127.0.0.1:5432/", "127.0.0.1 is on this machine (loopback)"),
            ("http://[::1]:6379/", "::1 is on this machine (loopback)"),
            ("http://localhost/admin/", "localhost is on this machine (loopback)"),
            ("https://10.0.0.5/paper", "10.0.0.5 is a private network address"),
            (
                "http://169.254.169.254/latest/meta-data/",
                "169.254.169.254 is a link-local address (such as a cloud server's metadata service)",
            ),
        ],
    )
    def test_an_address_the_site_does_not_ask_is_refused_when_saved(self, client, marketer, address, rule):
        article = ArticlePage.objects.live().exclude(external_url="").first()
        form = article_page_form(
            title=article.title,
            slug=article.slug,
            conditions=article.conditions.all(),
            external_url=address,
            summary=article.summary,
            kind=article.kind,
            source=article.source,
            action="action-publish",
        )
        errors = self.field_errors(client.post(edit_url(article), form))
        assert errors["external_url"] == (
            f"The site does not follow links here: {rule}. Enter the article's public web address."
        )
        assert ArticlePage.objects.get(pk=article.pk).external_url != address

    def test_an_article_needs_a_link_a_doi_or_a_body(self, client, marketer, article_index, conditions):
        errors = self.field_errors(self.post(client, article_index, conditions, external_url=""))
        assert "web address or its DOI" in errors["external_url"]

    def test_an_article_needs_a_condition(self, client, marketer, article_index, conditions):
        form = article_page_form(
            title="Orphan", slug="orphan", conditions=[], external_url="https://example.org/paper"
        )
        assert "conditions" in self.field_errors(client.post(add_url(article_index), form))

    def test_the_feed_address_is_not_an_article_slug(self, client, marketer, article_index, conditions):
        form = article_page_form(
            title="Feed",
            slug="feed",
            conditions=[conditions["scleroderma"]],
            external_url="https://example.org/",
        )
        assert "feed" in self.field_errors(client.post(add_url(article_index), form))["slug"]

    def test_a_future_publication_date_is_refused(self, client, marketer, article_index, conditions):
        errors = self.field_errors(self.post(client, article_index, conditions, published_on="2999-01-01"))
        assert "future" in errors["published_on"]

    def test_identifiers_pasted_as_links_are_stored_in_their_canonical_form(
        self, client, marketer, article_index, conditions
    ):
        response = self.post(
            client,
            article_index,
            conditions,
            external_url="",
            # Not the initial content's: an identifier names one article.
            doi="https://doi.org/10.1000/S1474-4422%2899%2900000-0",
            pmid="https://pubmed.ncbi.nlm.nih.gov/11111111/",
            nct_id="https://clinicaltrials.gov/study/nct11111111",
            published_on="2012-02-17",
            date_precision="month",
        )
        assert response.status_code == 302, self.field_errors(response)
        article = ArticlePage.objects.get(slug="a-checked-article")
        assert (article.doi, article.pmid, article.nct_id) == (
            "10.1000/S1474-4422(99)00000-0",
            "11111111",
            "NCT11111111",
        )
        assert article.link_url == "https://doi.org/10.1000/S1474-4422(99)00000-0"
        assert str(article.published_on) == "2012-02-01"

    def test_an_in_house_article_needs_no_link(self, client, marketer, article_index, conditions):
        response = self.post(
            client,
            article_index,
            conditions,
            external_url="",
            kind="clinic-news",
            paragraphs=["Our own news."],
        )
        assert response.status_code == 302, self.field_errors(response)
        assert ArticlePage.objects.get(slug="a-checked-article").link_url is None


class TestArticleListing:
    """The admin's article listing: filters by condition, kind and link status; broken links stand out."""

    @pytest.fixture
    def listing(self, client, marketer):
        def fetch(**filters):
            response = client.get(reverse("articles:index"), filters)
            assert response.status_code == 200
            return response

        return fetch

    def titles(self, response):
        return {page.title for page in response.context["object_list"]}

    def test_lists_every_article_for_marketing(self, listing):
        assert self.titles(listing()) == set(ArticlePage.objects.values_list("title", flat=True))

    def test_filters_by_condition(self, listing, conditions):
        ra = conditions["rheumatoid-arthritis"]
        expected = set(ArticlePage.objects.filter(conditions=ra).values_list("title", flat=True))
        assert self.titles(listing(condition=ra.pk)) == expected
        assert "Stem Cell Guidance" in expected and "Stem Cell Clinics – Questions to Ask" not in expected

    def test_filters_by_kind(self, listing):
        assert self.titles(listing(kind="news")) == {
            "Stem Cell Transplant for Severe Scleroderma Improves Survival, Quality of Life"
        }

    def test_filters_by_link_status_and_marks_broken_links(self, listing):
        ArticlePage.objects.filter(slug="stem-cell-guidance").update(
            link_status=LinkStatus.BROKEN, link_problem="The site answered 404 (Not Found)"
        )
        assert self.titles(listing(link_status="broken")) == {"Stem Cell Guidance"}
        table = select_one(listing(), "table.listing")
        link_column = [text(th) for th in table.select("thead th")].index("Link")
        link_cells = {text(row.a): row.select("td")[link_column] for row in table.select("tbody tr")}
        broken = link_cells["Stem Cell Guidance"].select_one('[title="The site answered 404 (Not Found)"]')
        assert broken is not None and text(broken) == "Broken"
        assert all(
            cell.select_one("[title]") is None
            for title, cell in link_cells.items()
            if title != "Stem Cell Guidance"
        )

    def test_search_and_filter_together(self, listing):
        response = listing(q="stem cell", kind="patient-information")
        assert self.titles(response) and all(
            page.kind == "patient-information" for page in response.context["object_list"]
        )

    def test_queries_do_not_grow_with_the_number_of_articles(
        self, listing, article_index, conditions, settings
    ):
        # Wagtail keeps the sites' root paths in the cache, which every deployment of this site has.
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "listing"}
        }

        def queries():
            with CaptureQueriesContext(connection) as captured:
                listing()
            return len(captured)

        listing()  # fills per-process caches before measuring
        before = queries()
        for number in range(20):
            article = ArticlePage(
                title=f"Article {number}",
                summary="s",
                kind="news",
                external_url=f"https://example.org/{number}",
            )
            article.conditions = list(conditions.values())
            article_index.add_child(instance=article)
        # Each row's conditions come from one prefetch for the page, not a query per article.
        assert queries() == before


class TestBrokenLinksReport:
    def test_lists_only_articles_with_broken_links(self, client, marketer):
        ArticlePage.objects.filter(slug="stem-cell-guidance").update(
            link_status=LinkStatus.BROKEN, link_problem="The site answered 404 (Not Found)"
        )
        ArticlePage.objects.filter(slug="what-to-ask-a-stem-cell-clinic").update(
            link_status=LinkStatus.BLOCKED
        )
        response = client.get(reverse("article_broken_links"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Stem Cell Guidance" in html and "The site answered 404 (Not Found)" in html
        assert "What to Ask a Stem Cell Clinic" not in html
        assert select(response, f'a[href="{edit_url(ArticlePage.objects.get(slug="stem-cell-guidance"))}"]')

        spreadsheet = client.get(reverse("article_broken_links"), {"export": "csv"})
        rows = spreadsheet.getvalue().decode().splitlines()
        assert rows[0].startswith("Title,Link,Problem")
        assert rows[1].startswith("Stem Cell Guidance,https://arthritis.org/") and len(rows) == 2

    def test_is_in_the_reports_menu(self, client, marketer):
        assert reverse("article_broken_links") in client.get(reverse("wagtailadmin_home")).content.decode()

    def test_is_closed_to_staff_without_page_permissions(self, client, make_staff):
        user = make_staff("nobody")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
        response = client.get(reverse("article_broken_links"))
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
