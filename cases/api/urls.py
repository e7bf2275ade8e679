from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .views import DossierViewSet, InburgeraarViewSet, SignaalViewSet, TermijnViewSet

router = DefaultRouter(trailing_slash=False)
router.register("inburgeraars", InburgeraarViewSet, basename="inburgeraar")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("termijnen", TermijnViewSet, basename="termijn")
router.register("signalen", SignaalViewSet, basename="signaal")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("schema/ui/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
