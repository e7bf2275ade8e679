"""The dossier's copy of its person's name (``SORTEERNAAM_VELDEN``, issue 15) is kept by the
database: a new dossier gets it, a changed name reaches every dossier of the person, a dossier
instance read before the change does not undo it, and a written value that is not the person's
is replaced — so name-ordered lists (caseload, API) can read ``idx_dossier_naam`` in order."""

from __future__ import annotations

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from cases.models import Dossier, Inburgeraar
from cases.selectors import caseload

from .factories import DossierFactory


def kopie(dossier: Dossier) -> tuple[str, str]:
    return tuple(  # type: ignore[return-value]
        Dossier.objects.values_list("sorteer_achternaam", "sorteer_voornamen").get(pk=dossier.pk)
    )


@pytest.mark.django_db
def test_de_database_houdt_de_naam_bij(world):
    with scopes_disabled():
        dossier = DossierFactory(
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            inburgeraar__achternaam="Haile",
            inburgeraar__voornamen="Tesfay",
        )
        assert kopie(dossier) == ("Haile", "Tesfay")
        oud = Dossier.objects.get(pk=dossier.pk)  # read before the name changes

        persoon = Inburgeraar.objects.get(pk=dossier.inburgeraar_id)
        persoon.achternaam = "Gebremedhin"
        persoon.save()
        assert kopie(dossier) == ("Gebremedhin", "Tesfay")

        oud.coa_referentie = "COA-9"
        oud.save()  # leaves the copy alone
        assert kopie(dossier) == ("Gebremedhin", "Tesfay")

        # a raw write of something else is replaced by the person's name
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_dossier SET sorteer_achternaam = 'Aaa' WHERE id = %s", [dossier.pk]
            )
        assert kopie(dossier) == ("Gebremedhin", "Tesfay")
        # a set-based rename (an import) reaches the dossiers too
        Inburgeraar.objects.filter(pk=persoon.pk).update(voornamen="Dawit")
        assert kopie(dossier) == ("Gebremedhin", "Dawit")


@pytest.mark.django_db
def test_lijsten_op_naam_lezen_de_kopie(world):
    with scopes_disabled():
        for naam in ("Zeeman", "Abdi", "Mahmoud"):
            DossierFactory(
                gemeente=world.gemeente_a, werkcoach=world.werkcoach_a, inburgeraar__achternaam=naam
            )
        qs = caseload(user=world.werkcoach_a, werkcoach="mij")
        sql = str(qs.query)
        namen = [d.inburgeraar.achternaam for d in qs]
    assert '"cases_dossier"."sorteer_achternaam"' in sql.split("ORDER BY")[1]
    assert namen == sorted(namen) and {"Zeeman", "Abdi", "Mahmoud"} <= set(namen)
