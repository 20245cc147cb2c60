# Merging duplicate sources (references 0003): site admins may merge, and merges are audited.

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GRANTS = {"Site admins": ["merge_source"]}


def grant_merging(apps, schema_editor):
    """Site admins may merge sources (the permission is new in references 0003)."""
    # Permissions are normally created after all migrations have run; the grant needs this one now.
    config = apps.get_app_config("references")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*Permission.objects.filter(codename__in=codenames))


def revoke_merging(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_section_body_help_text'),
        ('references', '0003_library_fields'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('submit', 'Submitted for review'), ('review', 'Reviewed'), ('publish', 'Published'), ('unpublish', 'Unpublished'), ('schedule', 'Scheduled'), ('restore', 'Restored a revision'), ('recover', 'Recovered a deleted article'), ('delete', 'Deleted'), ('override', 'Overrode publishing checks'), ('merge', 'Merged duplicate sources')], max_length=20),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='article_pk',
            field=models.PositiveBigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='article_title',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(grant_merging, revoke_merging),
    ]
