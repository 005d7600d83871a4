"""Wagtail's own starting roles have no place here: its "Moderators" group may publish any page
without medical review (through the "Moderators approval" workflow on the whole tree), and its
"Editors" group is a role nobody described. The clinic's roles are in docs/roles.md.

Not reversible in content: a reverse migration leaves the groups gone.
"""

from django.db import migrations

WAGTAIL_GROUPS = ["Moderators", "Editors"]
WAGTAIL_WORKFLOW = "Moderators approval"


def remove_wagtail_default_roles(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Group = apps.get_model("auth", "Group")

    tasks = GroupApprovalTask.objects.filter(name=WAGTAIL_WORKFLOW, groups__name__in=WAGTAIL_GROUPS)
    task_ids = list(tasks.values_list("pk", flat=True))
    # Its page assignments (the tree's root) and any moderation under way go with it.
    Workflow.objects.filter(name=WAGTAIL_WORKFLOW, workflow_tasks__task__in=task_ids).delete()
    Task.objects.filter(pk__in=task_ids).delete()
    Group.objects.filter(name__in=WAGTAIL_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0006_pending_cache_invalidation"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_wagtail_default_roles, migrations.RunPython.noop)]
