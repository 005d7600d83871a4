"""Staff roles (Django groups) and what each may do, set up by data migrations.

Takes the migration's `apps` so that it works against the historical models at that
point of the migration graph, not against today's code.
"""


def grant(apps, group_name, *, model_permissions=(), page_permissions=(), page_url_path=None):
    """Create the group if needed and give it the permissions named.

    model_permissions: "app_label.codename" strings.
    page_permissions: wagtailcore page codenames ("add_page", "publish_page", ...) on the page
    at `page_url_path`, or on the tree's root (so: every page) when that is None.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    group, _ = Group.objects.get_or_create(name=group_name)
    for dotted in model_permissions:
        app_label, codename = dotted.split(".")
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is None:
            # Permissions are normally created after migrations run; make the ones we need now.
            model = codename.split("_", 1)[1]
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
            )
        group.permissions.add(permission)

    if page_permissions:
        page = Page.objects.get(url_path=page_url_path) if page_url_path else Page.objects.get(depth=1)
        page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
        for codename in page_permissions:
            permission, _ = Permission.objects.get_or_create(
                content_type=page_type, codename=codename, defaults={"name": codename.replace("_", " ")}
            )
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    return group
