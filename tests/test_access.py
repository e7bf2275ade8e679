"""The access policy for every role across two gemeenten: policy functions, UI pages, medical
data, and the fail-loud tenancy scope."""

import pytest
from django_scopes import ScopeError, scopes_disabled

from cases import tijdlijn
from cases.models import Dossier, Gebeurtenis, Inburgeraar
from cases.policy import can_edit_dossier, can_view_medical, dossiers_for, inburgeraars_for
from inburgering.core.access import user_scope


def zichtbaar(user):
    with user_scope(user):
        return set(dossiers_for(user).values_list("pk", flat=True))


def test_visibility_per_role(world):
    a, a2, b = world.dossier_a.pk, world.dossier_a2.pk, world.dossier_b.pk
    assert zichtbaar(world.werkcoach_a) == {a, a2}
    assert zichtbaar(world.teamleider_a) == {a, a2}
    assert zichtbaar(world.auditor_a) == {a, a2}
    assert zichtbaar(world.begeleider_a) == {a}
    assert zichtbaar(world.begeleider_a2) == {a2}
    assert zichtbaar(world.partner_auditor_a) == {a, a2}
    assert zichtbaar(world.beheerder_a) == set()
    assert zichtbaar(world.werkcoach_b) == {b}


def test_inburgeraars_follow_their_dossiers(world):
    with user_scope(world.begeleider_a):
        assert list(inburgeraars_for(world.begeleider_a)) == [world.dossier_a.inburgeraar]
    with user_scope(world.werkcoach_b):
        assert list(inburgeraars_for(world.werkcoach_b)) == [world.dossier_b.inburgeraar]


def test_a_forgotten_filter_fails_loudly(world):
    """Outside any scope, querying case data raises instead of returning everything."""
    for model in (Dossier, Inburgeraar, Gebeurtenis):
        with pytest.raises(ScopeError):
            list(model.objects.all())


def test_scope_alone_keeps_gemeenten_apart(world):
    """Even a query that skips the role policy cannot cross the gemeente boundary."""
    with user_scope(world.werkcoach_b):
        assert set(Dossier.objects.values_list("pk", flat=True)) == {world.dossier_b.pk}
        assert set(Inburgeraar.objects.all()) == {world.dossier_b.inburgeraar}


def test_medical_domains_are_need_to_know(world):
    with user_scope(world.werkcoach_a):
        assert can_view_medical(world.werkcoach_a, world.dossier_a)
    with user_scope(world.teamleider_a):
        assert can_view_medical(world.teamleider_a, world.dossier_a)
    with user_scope(world.begeleider_a):
        assert not can_view_medical(world.begeleider_a, world.dossier_a)
    with user_scope(world.auditor_a):
        assert not can_view_medical(world.auditor_a, world.dossier_a)
    with user_scope(world.werkcoach_b):
        assert not can_view_medical(world.werkcoach_b, world.dossier_a)


def test_who_may_edit(world):
    assert can_edit_dossier(world.werkcoach_a, world.dossier_a)
    assert can_edit_dossier(world.teamleider_a, world.dossier_a2)
    assert not can_edit_dossier(world.auditor_a, world.dossier_a)
    assert not can_edit_dossier(world.begeleider_a, world.dossier_a)
    assert not can_edit_dossier(world.werkcoach_b, world.dossier_a)


@pytest.mark.parametrize(
    ("username", "ziet_a", "ziet_a2", "ziet_b"),
    [
        ("werkcoach_a", True, True, False),
        ("teamleider_a", True, True, False),
        ("auditor_a", True, True, False),
        ("begeleider_a", True, False, False),
        ("partner_auditor_a", True, True, False),
        ("beheerder_a", False, False, False),
        ("werkcoach_b", False, False, True),
    ],
)
def test_dossier_page_per_role(world, login, username, ziet_a, ziet_a2, ziet_b):
    client = login(getattr(world, username))
    for dossier, expected in (
        (world.dossier_a, ziet_a),
        (world.dossier_a2, ziet_a2),
        (world.dossier_b, ziet_b),
    ):
        response = client.get(f"/dossiers/{dossier.uuid}/")
        naam = dossier.inburgeraar.achternaam
        if expected:
            assert response.status_code == 200
            assert naam in response.content.decode()
        else:
            assert response.status_code == 404
            assert naam not in response.content.decode()
            assert dossier.inburgeraar.bsn not in response.content.decode()


def test_caseload_lists_only_visible_dossiers(world, login):
    client = login(world.begeleider_a)
    html = client.get("/dossiers/?werkcoach=alle").content.decode()
    assert str(world.dossier_a.uuid) in html
    assert str(world.dossier_a2.uuid) not in html
    assert str(world.dossier_b.uuid) not in html


def test_auditor_cannot_write_through_the_ui(world, login):
    client = login(world.auditor_a)
    before = world.dossier_a.coa_referentie
    response = client.post(
        f"/dossiers/{world.dossier_a.uuid}/bewerken/", {"coa_referentie": "HACK"}
    )
    assert response.status_code == 403
    response = client.post(f"/dossiers/{world.dossier_a.uuid}/notitie/", {"tekst": "hoi"})
    assert response.status_code in (302, 403)
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.coa_referentie == before
    with scopes_disabled():
        assert not world.dossier_a.gebeurtenissen.filter(soort=tijdlijn.DOSSIER_NOTITIE).exists()
    assert client.get("/dossiers/nieuw/").status_code == 403


def test_history_is_shown_to_team_not_to_begeleider(world, login):
    from cases import services

    with user_scope(world.werkcoach_a):
        services.dossier_update(
            user=world.werkcoach_a,
            dossier=world.dossier_a,
            coa_referentie="TVS-777",
            reden="Gecorrigeerd",
        )
    historie = f"/dossiers/{world.dossier_a.uuid}/historie/"
    auditor = login(world.auditor_a)
    assert (
        f'href="{historie}"' in auditor.get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    )
    html = auditor.get(historie).content.decode()
    assert 'id="historie"' in html
    assert "TVS-777" in html and "Gecorrigeerd" in html
    assert str(world.werkcoach_a) in html
    begeleider = login(world.begeleider_a)
    html = begeleider.get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    assert 'id="historie"' not in html and f'href="{historie}"' not in html  # no tab
    assert begeleider.get(historie).status_code == 404  # and no page behind it


# --- the action policy engine (inburgering.core.access) ------------------------------------------


def test_every_domain_registers_its_actions():
    from inburgering.core.access import geregistreerde_acties

    namen = set(geregistreerde_acties())
    assert {
        "dossier.aanmaken",
        "dossier.toewijzen",
        "dossier.bewerken",
        "dossier.verhuizen",
        "termijn.beheren",
        "signaal.afhandelen",
        "intake.starten",
        "pip.goedkeuren",
        "pip.terugsturen",
        "pip.vaststellen",
        "pip.nieuwe_versie",
        "pip.route_wijzigen",
        "pip.downloaden",
    } <= namen


def test_registering_an_action_twice_with_another_rule_is_an_error():
    from django.core.exceptions import ImproperlyConfigured

    from inburgering.core.access import actie_registreren

    with pytest.raises(ImproperlyConfigured):
        actie_registreren("dossier.aanmaken", lambda user, obj: True)
    with pytest.raises(ImproperlyConfigured):
        actie_registreren("zonderpunt", lambda user, obj: True)


def test_actions_per_role(world):
    from inburgering.core.access import mag

    with user_scope(world.werkcoach_a):
        assert mag(world.werkcoach_a, "dossier.aanmaken")
        assert not mag(world.werkcoach_a, "dossier.toewijzen")
        assert mag(world.werkcoach_a, "dossier.bewerken", world.dossier_a)
    assert mag(world.teamleider_a, "dossier.toewijzen")
    assert mag(world.teamleider_a, "pip.wachtrij")
    assert not mag(world.werkcoach_a, "pip.wachtrij")
    # auditors never write, whatever their permissions
    assert not mag(world.auditor_a, "dossier.aanmaken")
    assert not mag(world.auditor_a, "dossier.bewerken", world.dossier_a)
    assert mag(world.auditor_a, "termijn.bekijken")
    # another gemeente's dossier is not changed, even with the role
    assert not mag(world.werkcoach_b, "dossier.bewerken", world.dossier_a)
    assert not mag(world.werkcoach_b, "termijn.beheren", world.dossier_a)
    # system paths carry no user
    assert mag(None, "dossier.bewerken", world.dossier_a)


def test_an_unknown_action_in_a_template_fails_loudly(world, rf):
    from django.template import Context, Template

    from inburgering.core.access import OnbekendeActie

    template = Template('{% load policy %}{% if user|mag:"dossier.aanmakn" %}x{% endif %}')
    with pytest.raises(OnbekendeActie):
        template.render(Context({"user": world.werkcoach_a}))
    ok = Template('{% load policy %}{% if user|mag:"dossier.aanmaken" %}ja{% endif %}')
    assert ok.render(Context({"user": world.werkcoach_a})) == "ja"
    assert ok.render(Context({"user": world.auditor_a})) == ""
