from django.conf import settings


def hall(request):
    return {"HALL_NAME": settings.HALL_NAME, "SMS_DEV_OUTBOX_PAGE": settings.SMS_DEV_OUTBOX_PAGE}
