"""Users and roles: being in a role (Editors, Medical reviewers, Site admins) is what lets
someone into the admin, however the role was given."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ROLES = ["Editors", "Medical reviewers", "Site admins"]
NO_ROLE_MESSAGE = (
    "This account has no role yet. Ask a site admin to add you to Editors, Medical reviewers or Site admins."
)


def group(name):
    return Group.objects.get(name=name)


def is_staff(user):
    return get_user_model().objects.get(pk=user.pk).is_staff


def join(user, name, side):
    if side == "user":
        user.groups.add(group(name))
    else:
        group(name).user_set.add(user)


def leave(user, name, side):
    if side == "user":
        user.groups.remove(group(name))
    else:
        group(name).user_set.remove(user)


def clear(user, name, side):
    if side == "user":
        user.groups.clear()
    else:
        group(name).user_set.clear()


SIDES = ["user", "group"]


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("role", ROLES)
def test_adding_a_user_to_a_role_group_makes_them_staff(role, side):
    user = make_user()
    join(user, role, side)
    assert is_staff(user)


def test_the_user_object_that_was_given_a_role_can_be_saved_again_and_stays_staff():
    user = make_user()
    user.groups.add(group("Editors"))
    user.first_name = "Ada"
    user.save()
    assert user.is_staff and is_staff(user)


@pytest.mark.parametrize("side", SIDES)
def test_adding_a_user_to_a_group_that_is_no_role_does_not_make_them_staff(side):
    Group.objects.create(name="Newsletter")
    user = make_user()
    join(user, "Newsletter", side)
    assert not is_staff(user)


@pytest.mark.parametrize("change", [leave, clear])
@pytest.mark.parametrize("side", SIDES)
def test_removing_the_last_role_group_removes_staff_status(side, change):
    user = make_user("Editors")
    change(user, "Editors", side)
    assert not is_staff(user)


def test_a_user_whose_last_role_was_removed_stays_out_when_saved_again():
    user = make_user("Editors")
    user.groups.remove(group("Editors"))
    user.save()
    assert not user.is_staff and not is_staff(user)


@pytest.mark.parametrize("side", SIDES)
def test_leaving_one_of_two_roles_keeps_staff_status(side):
    user = make_user("Editors", "Medical reviewers")
    leave(user, "Editors", side)
    assert is_staff(user)


def test_clearing_a_role_group_ends_staff_status_of_its_members_only():
    editor, reviewer, both = make_user("Editors"), make_user("Medical reviewers"), make_user("Editors", "Site admins")
    group("Editors").user_set.clear()
    assert [is_staff(editor), is_staff(reviewer), is_staff(both)] == [False, True, True]


def test_moving_a_user_from_one_role_to_another_keeps_them_staff():
    user = make_user("Editors")
    user.groups.set([group("Site admins")])
    assert is_staff(user)


@pytest.mark.parametrize("change", [leave, clear])
@pytest.mark.parametrize("side", SIDES)
def test_a_superuser_keeps_staff_status_when_leaving_their_last_role(side, change):
    user = make_user("Site admins", superuser=True)
    change(user, "Site admins", side)
    assert is_staff(user)


def test_leaving_a_group_that_is_no_role_keeps_staff_without_a_role_staff():
    user = make_user(staff=True)
    user.groups.add(Group.objects.create(name="Newsletter"))
    user.groups.clear()
    assert is_staff(user)


def test_giving_a_role_in_the_admin_user_form_makes_the_user_staff(superuser_client):
    user = make_user(first_name="Ada")
    url = reverse("admin:auth_user_change", args=[user.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data |= {
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [group("Medical reviewers").pk],
        "user_permissions": [],
    }
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert is_staff(user)


@pytest.mark.parametrize("role", ROLES)
def test_a_user_with_a_role_alone_can_log_in_to_the_admin(client, role):
    user = make_user()
    group(role).user_set.add(user)
    assert client.login(username=user.username, password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_user_given_a_role_logs_in_through_the_admin_login_form(client):
    user = make_user()
    user.groups.add(group("Editors"))
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_admin_login_tells_someone_with_the_right_password_but_no_role_to_ask_for_one(client):
    user = make_user()
    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert NO_ROLE_MESSAGE in html
    assert "correct username and password" not in html


def test_admin_login_with_a_wrong_password_says_nothing_of_roles(client):
    user = make_user()
    response = client.post(reverse("admin:login"), {"username": user.username, "password": "wrong"})
    html = response.content.decode()
    assert "correct username and password" in html
    assert "no role" not in html
