from rest_framework.routers import DefaultRouter

from .views import IntakeViewSet, PipViewSet

router = DefaultRouter(trailing_slash=False)
router.register("intakes", IntakeViewSet, basename="intake")
router.register("pips", PipViewSet, basename="pip")

urlpatterns = [*router.urls]
