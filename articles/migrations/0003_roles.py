"""The three editorial roles, as groups. Permissions are granted by codename, so that a
permission added later is given to a role by a migration of its own, in plain sight."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = [
    f"{action}_{model}"
    for model in ("article", "section", "topic", "source", "author", "citation")
    for action in ("add", "change", "view")
]
ROLES = {
    # Write drafts and submit them for review; cannot publish, restore or delete.
    # They read reviews, so that a reviewer's request for changes reaches them.
    "Editors": CONTENT + ["submit_article", "view_revision", "view_review"],
    # Read everything and sign off (or return) revisions.
    "Medical reviewers": [
        *(f"view_{model}" for model in ("article", "section", "topic", "source", "author", "citation")),
        "view_revision", "review_article", "view_review", "add_review",
    ],
    # Everything editorial, plus publishing, restoring, recovering, deleting, the audit log
    # and the accounts of the people doing it.
    "Site admins": CONTENT + [
        "submit_article", "review_article", "publish_article", "restore_revision",
        "recover_article", "override_publish_checks", "view_revision", "view_review",
        "add_review", "view_auditentry",
        "delete_article", "delete_section", "delete_topic", "delete_source", "delete_author",
        "delete_citation",
        "add_user", "change_user", "view_user", "delete_user", "view_group",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        assert not missing, f"unknown permissions for {name}: {missing}"
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_initial"),
        ("references", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
