import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ..constants import AanmeldingStatus
from ..models import Aanmelding, Contactmoment, Vervolgactie


class AanmeldingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AanmeldingStatus.choices)
    dossier = django_filters.UUIDFilter(field_name="dossier__uuid")
    begeleider = django_filters.UUIDFilter(
        field_name="begeleider__uuid", help_text=_("The begeleider (user uuid).")
    )

    class Meta:
        model = Aanmelding
        fields = ["status", "dossier", "begeleider"]


class ContactmomentFilter(django_filters.FilterSet):
    aanmelding = django_filters.UUIDFilter(field_name="aanmelding__uuid")
    dossier = django_filters.UUIDFilter(field_name="dossier__uuid")

    class Meta:
        model = Contactmoment
        fields = ["aanmelding", "dossier"]


class VervolgactieFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(
        method="filter_open", help_text=_("Only open (true) or only done (false) actions.")
    )
    dossier = django_filters.UUIDFilter(field_name="dossier__uuid")

    class Meta:
        model = Vervolgactie
        fields = ["open", "dossier"]

    def filter_open(
        self, queryset: QuerySet[Vervolgactie], name: str, value: bool | None
    ) -> QuerySet[Vervolgactie]:
        if value is None:
            return queryset
        return queryset.filter(afgerond_op__isnull=value)
