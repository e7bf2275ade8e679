import django_filters

from ..constants import ProcedureStatus, VerzuimSoort
from ..models import Procedure, Verzuim


class VerzuimFilter(django_filters.FilterSet):
    dossier = django_filters.UUIDFilter(field_name="dossier__uuid")
    soort = django_filters.ChoiceFilter(choices=VerzuimSoort.choices)

    class Meta:
        model = Verzuim
        fields = ["dossier", "soort"]


class ProcedureFilter(django_filters.FilterSet):
    dossier = django_filters.UUIDFilter(field_name="dossier__uuid")
    status = django_filters.ChoiceFilter(choices=ProcedureStatus.choices)

    class Meta:
        model = Procedure
        fields = ["dossier", "status"]
