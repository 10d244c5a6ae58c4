"""API v1: signals in. With a token (program owner or admin), or as a webhook signed with a source's secret."""

from __future__ import annotations

from django.http import JsonResponse
from ninja import Path, Query, Router, Schema

from execsponsor.access.rules import require
from execsponsor.schemas import ERROR_RESPONSES, ErrorOut
from execsponsor.signals import schemas, webhooks
from execsponsor.signals.models import SignalSource
from execsponsor.signals.services import observations_ingest

router = Router(tags=["signals"])


class IngestParams(Schema):
    dry_run: bool = False


@router.post("/signals", response={200: schemas.IngestOut, **ERROR_RESPONSES})
def signals_post(request, payload: schemas.SignalBatchIn, params: Query[IngestParams]):
    """Unsubscribes, product-login drops, job changes and bounces from your own systems (program owner or admin).

    Each signal is matched to contacts by email; their departure evidence is weighed at once and a probable
    departure raises its alert before this answers. Sending a signal again records nothing new."""
    require(request.user, "execsponsor.run_program", to="send signals")
    observations = schemas.observations_from_batch(payload, source=SignalSource.API, origin="api")
    report = observations_ingest(
        observations=observations, problems=[], items=len(observations), by=request.user, dry_run=params.dry_run
    )
    said = report.as_dict()
    return {**said, "received": said["messages"]}


@router.post(
    "/signals/webhooks/{source}",
    auth=None,
    response={200: schemas.IngestOut, 400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut},
)
def signals_webhook(request, source: str = Path(..., max_length=100)):
    """A signed delivery from a webhook source: the same body as POST /signals, authenticated by
    `X-ESP-Signature: v1=<HMAC-SHA256 of "<X-ESP-Timestamp>." + body>` and made idempotent by `Idempotency-Key`.
    See docs/signals.md."""
    delivery = webhooks.Delivery(
        source_slug=source,
        raw=request.body,
        timestamp=request.headers.get(webhooks.TIMESTAMP_HEADER, ""),
        signature=request.headers.get(webhooks.SIGNATURE_HEADER, ""),
        idempotency_key=request.headers.get(webhooks.IDEMPOTENCY_HEADER, ""),
        remote_addr=request.META.get("REMOTE_ADDR", ""),
    )
    answer = webhooks.webhook_receive(delivery=delivery)
    response = JsonResponse(answer.body, status=answer.status)
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response
