"""Issue 8, defect 13 (high): no privilege escalation through ``/beheer/``.

Rule: nobody but a superuser grants superuser or staff status, or a group or permission they do not
hold themselves; nobody changes the roles or status of their own account; role changes are in the
history. Every test POSTs the real admin change form with the test client, as an attacker would.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.forms import CheckboxInput, MultiWidget
from django_scopes import scopes_disabled

from inburgering.accounts.constants import Rol
from inburgering.accounts.models import User

from .factories import PASSWORD, UserFactory


def _change_url(user: User) -> str:
    return f"/beheer/accounts/user/{user.pk}/change/"


def _form_data(response: Any) -> dict[str, Any]:
    """The change form's current values as a browser would post them."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(widget, MultiWidget):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


@pytest.fixture
def beheerder(world):
    with scopes_disabled():
        User.objects.filter(pk=world.beheerder_a.pk).update(is_staff=True)
        world.beheerder_a.refresh_from_db()
    return world.beheerder_a


def test_beheerder_cannot_make_themselves_superuser_or_werkcoach(world, login, beheerder):
    client = login(beheerder)
    response = client.get(_change_url(beheerder))
    assert response.status_code == 200
    html = response.content.decode()
    # the role fields of one's own account are shown read-only, not as inputs
    assert 'name="is_superuser"' not in html
    assert 'name="groups"' not in html
    data = _form_data(response)
    werkcoach = Group.objects.get(name=Rol.WERKCOACH)
    medisch = Permission.objects.get(codename="view_medisch", content_type__app_label="cases")
    data.update(
        {
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [str(werkcoach.pk)],
            "user_permissions": [str(medisch.pk)],
            "first_name": "Nieuw",
        }
    )
    client.post(_change_url(beheerder), data)
    beheerder.refresh_from_db()
    assert not beheerder.is_superuser
    assert not beheerder.groups.filter(name=Rol.WERKCOACH).exists()
    assert not beheerder.user_permissions.exists()
    assert not User.objects.get(pk=beheerder.pk).has_perm("cases.view_medisch")
    # and nothing lets them read a dossier afterwards
    assert client.get(f"/dossiers/{world.dossier_a.uuid}/").status_code in (403, 404)


def test_beheerder_cannot_grant_a_role_they_do_not_hold_to_a_colleague(world, login, beheerder):
    """A second account (an accomplice, or their own alt) must not become a werkcoach either."""
    handlanger = UserFactory(organisatie=world.team_a, username="handlanger")
    client = login(beheerder)
    response = client.get(_change_url(handlanger))
    assert response.status_code == 200
    data = _form_data(response)
    werkcoach = Group.objects.get(name=Rol.WERKCOACH)
    data["groups"] = [str(werkcoach.pk)]
    response = client.post(_change_url(handlanger), data)
    assert response.status_code == 200  # the form again, with the refusal at the field
    form = response.context["adminform"].form
    assert "groups" in form.errors
    assert "do not hold yourself" in str(form.errors["groups"])
    handlanger.refresh_from_db()
    assert not handlanger.groups.exists()


def test_beheerder_cannot_grant_staff_or_superuser_to_others(world, login, beheerder):
    handlanger = UserFactory(organisatie=world.team_a, username="handlanger2")
    client = login(beheerder)
    response = client.get(_change_url(handlanger))
    assert 'name="is_superuser"' not in response.content.decode()
    data = _form_data(response)
    data.update({"is_superuser": "on", "is_staff": "on"})
    client.post(_change_url(handlanger), data)
    handlanger.refresh_from_db()
    assert not handlanger.is_superuser and not handlanger.is_staff


def test_beheerder_cannot_touch_a_superuser_or_reset_a_werkcoachs_password(world, login, beheerder):
    admin = UserFactory(organisatie=world.team_a, username="root", is_superuser=True)
    client = login(beheerder)
    response = client.get(_change_url(admin))
    data = _form_data(response) if response.status_code == 200 else {"username": "root"}
    data["is_active"] = ""
    assert client.post(_change_url(admin), data).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active
    # setting a werkcoach's password would be logging in as them
    url = f"/beheer/accounts/user/{world.werkcoach_a.pk}/password/"
    response = client.post(
        url, {"password1": "Nieuw-Wachtwoord-99", "password2": "Nieuw-Wachtwoord-99"}
    )
    assert response.status_code == 403
    world.werkcoach_a.refresh_from_db()
    assert world.werkcoach_a.check_password(PASSWORD)


def test_beheerder_may_still_grant_what_they_hold_and_deactivate(world, login, beheerder):
    """The rule refuses escalation only: a role whose permissions the beheerder holds is fine."""
    handlanger = UserFactory(organisatie=world.team_a, username="collega")
    client = login(beheerder)
    data = _form_data(client.get(_change_url(handlanger)))
    beheer = Group.objects.get(name=Rol.FUNCTIONEEL_BEHEERDER)
    data["groups"] = [str(beheer.pk)]
    data.pop("is_active", None)
    response = client.post(_change_url(handlanger), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    handlanger.refresh_from_db()
    assert handlanger.groups.filter(pk=beheer.pk).exists() and not handlanger.is_active


def test_superuser_grants_roles_and_the_change_is_in_the_history(world, login):
    root = UserFactory(organisatie=world.team_a, username="root2", is_superuser=True, is_staff=True)
    nieuw = UserFactory(organisatie=world.team_a, username="nieuwe_werkcoach")
    client = login(root)
    data = _form_data(client.get(_change_url(nieuw)))
    werkcoach = Group.objects.get(name=Rol.WERKCOACH)
    data["groups"] = [str(werkcoach.pk)]
    response = client.post(_change_url(nieuw), data)
    assert response.status_code == 302
    nieuw.refresh_from_db()
    assert nieuw.groups.filter(pk=werkcoach.pk).exists()
    laatste = nieuw.history.order_by("-history_date", "-history_id").first()
    assert laatste is not None and laatste.history_user_id == root.pk
    assert [g.group_id for g in laatste.groups.all()] == [werkcoach.pk]
    # the history page of the account lists the change
    assert client.get(f"/beheer/accounts/user/{nieuw.pk}/history/").status_code == 200

    # even a superuser does not change their own roles
    data = _form_data(client.get(_change_url(root)))
    data["is_superuser"] = ""
    client.post(_change_url(root), data)
    root.refresh_from_db()
    assert root.is_superuser


def test_partner_organisation_cannot_become_a_team_under_its_begeleiders(world, login, beheerder):
    """A municipal team sees every dossier of its gemeenten: turning a partner organisation
    into a "team" would hand its begeleiders all of them."""
    client = login(beheerder)
    url = f"/beheer/accounts/organisatie/{world.partner_a.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    data = {
        "naam": world.partner_a.naam,
        "soort": "gemeentelijk_team",
        "gemeenten": [str(g.pk) for g in world.partner_a.gemeenten.all()],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "soort" in response.context["adminform"].form.errors
    world.partner_a.refresh_from_db()
    assert world.partner_a.soort == "partner"
