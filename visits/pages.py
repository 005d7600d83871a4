"""Which page ids a beacon may name: the live, public pages, and among them the outside articles
(page types whose `written_by_the_clinic` is False, core.pages.SitePage). Worked out in one query
and kept in the process for a minute, or until a page is published, unpublished, moved or deleted,
so that a beacon costs no query at all."""

import threading
import time

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete
from wagtail.models import Page, get_page_models
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

KEEP_SECONDS = 60

_lock = threading.Lock()
_known = {"until": 0.0, "pages": frozenset(), "articles": frozenset()}


def _work_out():
    article_types = {
        ContentType.objects.get_for_model(model).pk
        for model in get_page_models()
        if getattr(model, "written_by_the_clinic", True) is False
    }
    pages = set()
    articles = set()
    for pk, content_type_id in Page.objects.live().public().values_list("pk", "content_type_id"):
        pages.add(pk)
        if content_type_id in article_types:
            articles.add(pk)
    return frozenset(pages), frozenset(articles)


def known():
    """(the live public pages' ids, the outside articles' ids)."""
    now = time.monotonic()
    if _known["until"] < now:
        pages, articles = _work_out()
        with _lock:
            _known.update(until=now + KEEP_SECONDS, pages=pages, articles=articles)
    return _known["pages"], _known["articles"]


def forget(**kwargs):
    with _lock:
        _known["until"] = 0.0


def connect_signals():
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(forget, dispatch_uid=f"visits.forget.{id(signal)}")
    post_delete.connect(_forget_deleted_page, dispatch_uid="visits.forget.delete")


def _forget_deleted_page(sender, instance, **kwargs):
    if isinstance(instance, Page):
        forget()
