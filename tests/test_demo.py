"""The demo data command: every role, a few hundred dossiers over all phases, idempotent."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from cases import rules
from cases.constants import OPEN_FASEN
from cases.demo import USERS
from cases.models import Dossier, Inburgeraar, Signaal, Termijn, TermijnBeleid
from inburgering.accounts.constants import Rol
from inburgering.accounts.models import User


@pytest.mark.django_db
def test_demo_data_is_complete_valid_and_idempotent(capsys):
    call_command("demo_data", aantal=60)
    out = capsys.readouterr().out
    with scopes_disabled():
        first = (Inburgeraar.objects.count(), Dossier.objects.count(), User.objects.count())
        bsns = list(Inburgeraar.objects.values_list("bsn", flat=True))
        fasen = set(Dossier.objects.values_list("fase", flat=True))
    assert first[0] == 60 and first[1] == 60
    assert all(rules.is_valid_bsn(b) and b.startswith("99999") for b in bsns)
    assert fasen == set(OPEN_FASEN)
    rollen = {u.rol for u in USERS}
    assert rollen == set(Rol.values)
    for user in USERS:
        assert user.username in out
        assert User.objects.get(username=user.username).heeft_rol(user.rol)
    # every Wi2021 dossier with a BRP date has its clocks; the sweep gave the inbox work
    with scopes_disabled():
        wi2021 = Dossier.objects.filter(
            inburgeraar__regime="wi2021", datum_brp_inschrijving__isnull=False
        )
        assert wi2021.exists()
        assert not wi2021.exclude(termijnen__code="pip").exists()
        assert not Termijn.objects.filter(dossier__inburgeraar__regime__startswith="wi2013")
        signalen = Signaal.objects.count()
        assert signalen > 0
        assert TermijnBeleid.objects.filter(pip_na_intake_weken=4).count() == 4
    assert "Termijnen checked:" in out
    call_command("demo_data", aantal=60)
    with scopes_disabled():
        assert (Inburgeraar.objects.count(), Dossier.objects.count(), User.objects.count()) == first
        assert Signaal.objects.count() == signalen
