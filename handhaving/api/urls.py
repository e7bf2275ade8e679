from rest_framework.routers import DefaultRouter

router = DefaultRouter(trailing_slash=False)
# the resources are registered in handhaving/api/views.py's module (verzuimen, procedures)
from .views import ProcedureViewSet, VerzuimViewSet  # noqa: E402

router.register("verzuimen", VerzuimViewSet, basename="verzuim")
router.register("procedures", ProcedureViewSet, basename="procedure")

urlpatterns = [*router.urls]
