from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from inburgering.accounts import oidc
from inburgering.accounts import tweefactor_views as tf
from inburgering.accounts import views as accounts_views
from inburgering.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(".well-known/security.txt", core_views.security_txt, name="security-txt"),
    path("inloggen/", accounts_views.Inloggen.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/sessies/", accounts_views.mijn_sessies, name="sessies"),
    path("account/wachtwoord/", accounts_views.WachtwoordWijzigen.as_view(), name="wachtwoord"),
    path("account/tweede-factor/", tf.overzicht, name="tweefactor"),
    path("account/tweede-factor/instellen/", tf.instellen, name="tweefactor-instellen"),
    path("account/tweede-factor/verifieren/", tf.verifieren, name="tweefactor-verifieren"),
    path("account/tweede-factor/bevestigen/", tf.bevestigen, name="tweefactor-bevestigen"),
    path("account/tweede-factor/herstelcodes/", tf.herstelcodes, name="tweefactor-herstelcodes"),
    path(
        "account/tweede-factor/passkeys/<int:pk>/verwijderen/",
        tf.passkey_verwijderen,
        name="tweefactor-passkey-verwijderen",
    ),
    path("webauthn/", include("inburgering.accounts.webauthn_urls")),
    path("oidc/", include(oidc.urlpatterns)),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("dossiers/", include("cases.urls")),
    path("pip/", include("pip_plans.urls")),
    path("handhaving/", include("handhaving.urls")),
    path("begeleiding/", include("begeleiding.urls")),
    path("verantwoording/", include("verantwoording.urls")),
    path("verantwoording/export/", include("verantwoording.bulk.urls")),
    path("logboek/", include("inburgering.audit.urls")),
    path("bewaring/", include("bewaring.urls")),
    path("api/v1/", include("cases.api.urls")),
    path("api/v1/", include("pip_plans.api.urls")),
    path("api/v1/", include("handhaving.api.urls")),
    path("api/v1/", include("begeleiding.api.urls")),
    path("beheer/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# problem+json for API paths (NL API Design Rules), Django's own pages elsewhere
handler400 = "inburgering.core.problems.bad_request"
handler403 = "inburgering.core.problems.permission_denied"
handler404 = "inburgering.core.problems.page_not_found"
handler500 = "inburgering.core.problems.server_error"
