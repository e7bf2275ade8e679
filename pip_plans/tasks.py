"""The beschikking is rendered by the platform task ``documents.tasks.document_renderen``
(kind ``pip.beschikking``, registered in ``pip_plans.documenten``).

``beschikking_renderen`` stays registered under its old name for messages queued before the
platform task existed (a deploy does not drain the queue) and for the demo and tests that render
in-process; it runs the platform task body, nothing of its own. Tasks take ids only (never a BSN).
"""

from celery import shared_task

from inburgering.documents.tasks import document_renderen

from .documenten import BESCHIKKING


@shared_task
def beschikking_renderen(pip_id: int, user_id: int | None = None) -> str:
    result: str = document_renderen(BESCHIKKING, pip_id, user_id)
    return result
