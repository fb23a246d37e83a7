"""Background work: delivering SMS. Thin and idempotent; the rules live in services.py."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def deliver_sms(message_id: int) -> str:
    """Deliver one kept SMS. Running it again for a message already sent does nothing. A
    failed attempt is retried (a bounded number of times, see SMS_DELIVERY_MAX_ATTEMPTS),
    after a delay when the tasks backend can defer work."""
    message = services.sms_deliver(message_id=message_id)
    delay = services.sms_retry_delay(message=message)
    if delay is not None:
        retry = deliver_sms
        if deliver_sms.get_backend().supports_defer:
            retry = deliver_sms.using(run_after=timezone.now() + timedelta(seconds=delay))
        retry.enqueue(message_id)
    return message.status


@task()
def deliver_sms_batch(message_ids: list[int]) -> int:
    """Deliver a batch of kept messages at the gateway's contracted rate; a message left
    queued (a worker killed midway) is taken up by the sweep."""
    return services.sms_deliver_batch(message_ids=message_ids)
