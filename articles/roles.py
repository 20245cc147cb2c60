"""The editorial roles, and the staff status that goes with them.

The groups and their permissions are made by the migration ``0003_roles`` (which keeps its own
copy of the names, as migrations must). Membership of a role is what lets someone into the
admin, however it is given: the admin's user form, ``group.user_set.add()`` in a shell, or a
fixture. So staff status follows the groups through ``m2m_changed`` (connected in
``ArticlesConfig.ready()``) rather than through one screen.
"""

from django.contrib.auth import get_user_model

ROLES = ("Editors", "Medical reviewers", "Site admins")


def make_staff(user_pks):
    get_user_model().objects.filter(pk__in=user_pks, is_staff=False).update(is_staff=True)


def unmake_staff_without_a_role(user_pks):
    """Those of ``user_pks`` left in no role stop being staff; a superuser stays staff."""
    users = get_user_model().objects.filter(pk__in=user_pks, is_staff=True, is_superuser=False)
    users.exclude(groups__name__in=ROLES).update(is_staff=False)


def role_members(instance, reverse, model, pk_set):
    """The users whose role membership a change between users and groups touches."""
    if reverse:  # group.user_set.…(): ``instance`` is a group, ``pk_set`` its users.
        if instance.name not in ROLES:
            return set()
        return set(instance.user_set.values_list("pk", flat=True)) if pk_set is None else set(pk_set)
    if pk_set is None:  # user.groups.clear()
        touches_a_role = instance.groups.filter(name__in=ROLES).exists()
    else:
        touches_a_role = model.objects.filter(pk__in=pk_set, name__in=ROLES).exists()
    return {instance.pk} if touches_a_role else set()


def staff_follows_roles(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Joining a role makes a user staff; leaving their last role ends it."""
    if action == "pre_clear":
        # By post_clear the rows are gone, and with them who was in a role.
        instance._clonus_role_members = role_members(instance, reverse, model, None)
        return
    if action == "post_add":
        users = role_members(instance, reverse, model, pk_set)
        make_staff(users)
    elif action == "post_remove":
        users = role_members(instance, reverse, model, pk_set)
        unmake_staff_without_a_role(users)
    elif action == "post_clear":
        users = instance.__dict__.pop("_clonus_role_members", set())
        unmake_staff_without_a_role(users)
    else:
        return
    if not reverse and users:
        # So that ``user.groups.add(editors); user.save()`` does not write the old status back.
        instance.refresh_from_db(fields=["is_staff"])
