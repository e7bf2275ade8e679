import django_filters

from ..constants import Leerroute, PipStatus
from ..models import BredeIntake, Pip


class IntakeFilter(django_filters.FilterSet):
    dossier = django_filters.UUIDFilter(field_name="dossier__uuid")
    afgerond = django_filters.BooleanFilter(
        field_name="datum_afgerond", lookup_expr="isnull", exclude=True, label="afgerond"
    )

    class Meta:
        model = BredeIntake
        fields = ["dossier", "afgerond"]


class PipFilter(django_filters.FilterSet):
    dossier = django_filters.UUIDFilter(field_name="dossier__uuid")
    status = django_filters.ChoiceFilter(choices=PipStatus.choices)
    leerroute = django_filters.ChoiceFilter(choices=Leerroute.choices)

    class Meta:
        model = Pip
        fields = ["dossier", "status", "leerroute"]
