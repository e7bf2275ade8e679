import django_filters

from ..constants import OPEN_FASEN, Doelgroep, Fase, Regime, SignaalSoort
from ..models import Dossier, Inburgeraar, Signaal


class DossierFilter(django_filters.FilterSet):
    fase = django_filters.ChoiceFilter(choices=Fase.choices)
    gemeente = django_filters.UUIDFilter(field_name="gemeente__uuid")
    werkcoach = django_filters.UUIDFilter(field_name="werkcoach__uuid")
    begeleider = django_filters.UUIDFilter(field_name="begeleider__uuid")
    doelgroep = django_filters.ChoiceFilter(
        field_name="inburgeraar__doelgroep", choices=Doelgroep.choices
    )
    regime = django_filters.ChoiceFilter(field_name="inburgeraar__regime", choices=Regime.choices)
    open = django_filters.BooleanFilter(method="filter_open", label="open")

    class Meta:
        model = Dossier
        fields = ["fase", "gemeente", "werkcoach", "begeleider", "doelgroep", "regime", "open"]

    def filter_open(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value is None:
            return queryset
        return (
            queryset.filter(fase__in=OPEN_FASEN) if value else queryset.exclude(fase__in=OPEN_FASEN)
        )


class InburgeraarFilter(django_filters.FilterSet):
    doelgroep = django_filters.ChoiceFilter(choices=Doelgroep.choices)
    regime = django_filters.ChoiceFilter(choices=Regime.choices)
    achternaam = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Inburgeraar
        fields = ["doelgroep", "regime", "achternaam"]


class SignaalFilter(django_filters.FilterSet):
    afgehandeld = django_filters.BooleanFilter(
        field_name="afgehandeld_op", lookup_expr="isnull", exclude=True, label="afgehandeld"
    )
    soort = django_filters.ChoiceFilter(choices=SignaalSoort.choices)
    dossier = django_filters.UUIDFilter(field_name="dossier__uuid")

    class Meta:
        model = Signaal
        fields = ["afgehandeld", "soort", "dossier"]
