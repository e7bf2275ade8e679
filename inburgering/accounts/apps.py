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

        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import m2m_changed, post_save

        from . import sessies
        from .models import User

        user_logged_in.connect(sessies.aangemeld, dispatch_uid="accounts.sessie_aangemeld")
        user_logged_out.connect(sessies.afgemeld, dispatch_uid="accounts.sessie_afgemeld")
        user_login_failed.connect(sessies.mislukt, dispatch_uid="accounts.aanmelden_mislukt")
        post_save.connect(
            sessies.user_opgeslagen, sender=User, dispatch_uid="accounts.sessie_actief"
        )
        for through in (User.groups.through, User.user_permissions.through):
            m2m_changed.connect(
                sessies.rechten_gewijzigd, sender=through, dispatch_uid=f"accounts.{through}"
            )
