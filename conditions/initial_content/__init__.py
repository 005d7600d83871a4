"""The conditions index and the client's condition pages (conditions.json), under the "Medical
review" workflow. Creates only what is missing."""

import json
from pathlib import Path

from django.db import transaction
from wagtail.models import Workflow, WorkflowPage

from conditions.models import ConditionIndexPage, ConditionPage
from core.initial_content import get_or_create_child, site_home

CONTENT_FILE = Path(__file__).with_name("conditions.json")


def require_medical_review(*pages):
    """Put pages (and so the pages below them) behind the "Medical review" workflow."""
    workflow = Workflow.objects.get(name="Medical review")
    for page in pages:
        WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})


def load_conditions(log=print):
    content = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    with transaction.atomic():
        home = site_home()
        if home is None:
            log("No home page yet: conditions not loaded.")
            return
        index_fields = dict(content["conditions_index"], show_in_menus=True)
        index, created = get_or_create_child(home, ConditionIndexPage, **index_fields)
        if created:
            log(f"Created '{index.title}'")
        for condition in content["conditions"]:
            page, created = get_or_create_child(index, ConditionPage, **condition)
            if created:
                log(f"Created condition page '{page.title}'")
        require_medical_review(index)
