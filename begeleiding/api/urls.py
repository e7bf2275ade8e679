from rest_framework.routers import SimpleRouter

from .views import AanmeldingViewSet, ContactmomentViewSet, VervolgactieViewSet

router = SimpleRouter(trailing_slash=False)
router.register("aanmeldingen", AanmeldingViewSet, basename="aanmelding")
router.register("contactmomenten", ContactmomentViewSet, basename="contactmoment")
router.register("vervolgacties", VervolgactieViewSet, basename="vervolgactie")

urlpatterns = router.urls
