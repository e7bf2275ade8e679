from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "inburgering.accounts"
    label = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import sync_rollen

        post_migrate.connect(sync_rollen, dispatch_uid="accounts.sync_rollen")
