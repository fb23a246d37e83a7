"""The page an officer waits on while a long payment step runs in the task worker (jobs.py).
It asks again every two seconds with htmx; without JavaScript its 刷新 link does the same.
When the job is done the officer is taken to what it made, with the same message a quick step
gives; when it failed, the page says why and leads back to try again."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from . import jobs, selectors
from .models import PaymentJob
from .views import import_result_url, officer_required

Kind, Status = PaymentJob.Kind, PaymentJob.Status


def _result_url(job) -> str:
    if job.kind == Kind.RETURN_IMPORT and job.return_import_id:
        return import_result_url(job.batch_id, job.return_import_id)
    return reverse("payments:batch_detail", kwargs={"pk": job.batch_id})


def _retry_url(job) -> str:
    """Where to try again, with the build's choices filled in."""
    if job.kind == Kind.BUILD or job.batch_id is None:
        choices = {key: value for key, value in job.params.items() if value not in (None, "")}
        return f"{reverse('payments:batch_list')}?{urlencode(choices)}" if choices else reverse(
            "payments:batch_list"
        )
    return reverse("payments:batch_detail", kwargs={"pk": job.batch_id})


@officer_required
def job(request, pk):
    try:
        job = selectors.job_get_for(request.user, pk)
    except PaymentJob.DoesNotExist:
        raise Http404 from None
    polling = request.headers.get("HX-Request") == "true"
    if job.finished and polling:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.path
        return response
    if job.status == Status.DONE:
        messages.add_message(request, *jobs.done_message(job))
        return redirect(_result_url(job))
    since = job.started_at or job.created_at
    context = {
        "job": job,
        "seconds": int((timezone.now() - since).total_seconds()),
        "retry_url": _retry_url(job),
    }
    return render(request, "payments/_job_status.html" if polling else "payments/job.html", context)
