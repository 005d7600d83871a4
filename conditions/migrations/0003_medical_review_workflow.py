from django.db import migrations

from core.roles import grant

REVIEWERS = "Medical reviewers"
WORKFLOW = "Medical review"


def create_medical_review(apps, schema_editor):
    reviewers = grant(
        apps,
        REVIEWERS,
        model_permissions=[
            "wagtailadmin.access_admin",
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "conditions.add_medicalreviewer",
            "conditions.change_medicalreviewer",
            "clinic.change_treatmentstatus",
        ],
        page_permissions=["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    )
    # Editors name the reviewer on a page, so they may see (not change) reviewer profiles.
    grant(apps, "Clinical editors", model_permissions=["conditions.view_medicalreviewer"])

    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task, created = GroupApprovalTask.objects.get_or_create(
        name="Medical reviewer approval", defaults={"content_type": task_type}
    )
    if created:
        task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


def remove_medical_review(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore", "GroupApprovalTask").objects.filter(name="Medical reviewer approval").delete()
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0002_medical_review_fields"),
        ("clinic", "0003_treatmentstatus"),
        ("clinic", "0002_clinical_editors_group"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_medical_review, remove_medical_review)]
