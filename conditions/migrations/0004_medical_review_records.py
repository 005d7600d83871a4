"""Reviews are recorded by the approval itself (MedicalReview), not typed into the page form.

Reviews already recorded on condition pages are moved to review records (the approved version being
the live one), and the "Medical reviewer approval" task becomes a MedicalReviewTask, so that existing
sites record a review at each approval from now on.
"""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def twelve_months_after(date):
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date + datetime.timedelta(days=365)


def move_recorded_reviews(apps, schema_editor):
    ConditionPage = apps.get_model("conditions", "ConditionPage")
    MedicalReview = apps.get_model("conditions", "MedicalReview")
    for page in ConditionPage.objects.filter(last_reviewed__isnull=False, reviewed_by__isnull=False):
        MedicalReview.objects.create(
            page_id=page.pk,
            revision_id=page.live_revision_id,
            reviewer_id=page.reviewed_by_id,
            reviewed_on=page.last_reviewed,
            next_review_due=page.next_review_due or twelve_months_after(page.last_reviewed),
        )


def restore_review_fields(apps, schema_editor):
    ConditionPage = apps.get_model("conditions", "ConditionPage")
    MedicalReview = apps.get_model("conditions", "MedicalReview")
    for page in ConditionPage.objects.all():
        review = MedicalReview.objects.filter(page_id=page.pk).order_by("-reviewed_on", "-pk").first()
        if review is not None:
            page.reviewed_by_id, page.last_reviewed = review.reviewer_id, review.reviewed_on
            page.next_review_due = review.next_review_due
            page.save(update_fields=["reviewed_by", "last_reviewed", "next_review_due"])


TASK_NAME = "Medical reviewer approval"


def use_medical_review_task(apps, schema_editor):
    """Give the existing task a MedicalReviewTask row (multi-table inheritance) and that type."""
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    MedicalReviewTask = apps.get_model("conditions", "MedicalReviewTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type, _ = ContentType.objects.get_or_create(app_label="conditions", model="medicalreviewtask")
    for task in GroupApprovalTask.objects.filter(name=TASK_NAME, content_type__model="groupapprovaltask"):
        review_task = MedicalReviewTask(groupapprovaltask_ptr=task)
        review_task.save_base(raw=True)
        apps.get_model("wagtailcore", "Task").objects.filter(pk=task.pk).update(content_type=task_type)


def use_group_approval_task(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    MedicalReviewTask = apps.get_model("conditions", "MedicalReviewTask")
    ids = list(MedicalReviewTask.objects.values_list("pk", flat=True))
    apps.get_model("wagtailcore", "Task").objects.filter(pk__in=ids).update(content_type=task_type)
    MedicalReviewTask.objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0003_medical_review_workflow"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MedicalReviewTask",
            fields=[
                (
                    "groupapprovaltask_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.groupapprovaltask",
                    ),
                ),
            ],
            options={
                "verbose_name": "Medical review approval",
                "verbose_name_plural": "Medical review approvals",
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.AddField(
            model_name="medicalreviewer",
            name="user",
            field=models.OneToOneField(
                blank=True,
                help_text="The account this clinician approves medical reviews with.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="medical_reviewer_profile",
                to=settings.AUTH_USER_MODEL,
                verbose_name="staff account",
            ),
        ),
        migrations.AlterField(
            model_name="medicalreviewer",
            name="role",
            field=models.CharField(
                blank=True, help_text="For example 'Consultant Neurologist'.", max_length=120
            ),
        ),
        migrations.CreateModel(
            name="MedicalReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reviewed_on", models.DateField()),
                ("next_review_due", models.DateField()),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="medical_reviews",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews",
                        to="conditions.medicalreviewer",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        help_text="The version of the page the reviewer approved.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                    ),
                ),
                (
                    "task_state",
                    models.OneToOneField(
                        blank=True,
                        help_text="The approval that recorded this review.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="medical_review",
                        to="wagtailcore.taskstate",
                    ),
                ),
            ],
            options={
                "ordering": ["-reviewed_on", "-pk"],
                "get_latest_by": ["reviewed_on", "pk"],
            },
        ),
        migrations.RunPython(move_recorded_reviews, restore_review_fields),
        migrations.RunPython(use_medical_review_task, use_group_approval_task),
        migrations.RemoveField(
            model_name="conditionpage",
            name="last_reviewed",
        ),
        migrations.RemoveField(
            model_name="conditionpage",
            name="next_review_due",
        ),
        migrations.RemoveField(
            model_name="conditionpage",
            name="reviewed_by",
        ),
    ]
