"""The applicant's pages: 申报 (the form), the confirmation, the case with its timeline,
撤回, the receipt, and 我的材料."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.accounts.typed_keeping import keeps_typed_after_expiry
from servicehall.cards.advice import advice_for
from servicehall.core.decorators import person_required
from servicehall.core.errors import DomainError
from servicehall.reference.picker import region_refresh

from . import publicity, receipt, selectors, services
from .check_selectors import checks_for
from .checks import category_finding
from .constants import EDITABLE, ApplicationStatus
from .eligibility import APPLIED, apply_status_for
from .forms import ApplicationForm, ObjectionForm
from .material_files import material_response
from .models import Application, Material
from .panels import case_panels
from .progress import progress_steps
from .withdrawn_answers import withdrawn_answers_for

S = ApplicationStatus
ACTIONS = {"save_draft", "submit", "upload", "refresh"}


def _initial(application):
    data = {field: getattr(application, field) for field in services.FORM_FIELDS}
    data["category"] = application.category_code
    return data


def _store_uploads(request, application, category, errors):
    """Keep every file that passes its checks, whatever else is wrong with the form."""
    if category is None:
        return
    for requirement in category.materials.all():
        key = f"material_{requirement.pk}"
        reused = request.POST.get(f"reuse_{requirement.pk}", "")
        if reused:  # 我的材料: a file uploaded before, for this or an earlier application
            try:
                material = selectors.material_get_for(request.user, reused)
                services.application_attach(
                    applicant=request.user,
                    application=application,
                    requirement_id=requirement.pk,
                    material=material,
                    category=category,
                )
            except (Material.DoesNotExist, ValueError, ValidationError):
                errors.setdefault(key, []).append(_("找不到所选的材料，请重新选择。"))
            except DomainError as error:
                errors.setdefault(key, []).append(error.message)
        for upload in request.FILES.getlist(key):
            try:
                material = services.material_store(owner=request.user, upload=upload, field=key)
                services.application_attach(
                    applicant=request.user,
                    application=application,
                    requirement_id=requirement.pk,
                    material=material,
                    category=category,
                )
            except DomainError as error:
                errors.setdefault(key, []).append(error.message)


def _remove_material(request, application):
    requirement_id, _sep, material_id = request.POST.get("remove_material", "").partition(":")
    if requirement_id.isdigit() and material_id:
        services.application_detach(
            applicant=request.user,
            application=application,
            requirement_id=int(requirement_id),
            material_id=material_id,
        )
        messages.success(request, _("已移除该文件。"))
        return True
    return False


def _chosen_category(form, application, categories):
    code = form.data.get("category") if form.is_bound else application.category_code
    return next((c for c in categories if c.code == code), None)


def _submit(request, application, form, year, *, returned):
    if returned:
        services.application_resubmit(
            applicant=request.user,
            application=application,
            data=form.valid_data(),
            pledged=form.cleaned_data["pledge"],
        )
    else:
        services.application_submit(
            applicant=request.user,
            application=application,
            data=form.valid_data(),
            graduation_year=year,
            pledged=form.cleaned_data["pledge"],
        )


def _repeated_submit(request, application) -> bool:
    """提交 sent again for an application that is already submitted (a double tap, a retried
    request): the service would return the same submission, so the page shows its confirmation."""
    return (
        request.method == "POST"
        and request.POST.get("action") == "submit"
        and application is not None
        and application.state not in EDITABLE
        and application.submitted_at is not None
    )


def _apply_post(request, application, form, year, *, categories, returned, upload_errors):
    """What the form's buttons do: store the uploads first (a file that passed its checks is
    kept whatever else is wrong), then save the draft or submit. A response ends the request;
    None shows the form again with its messages."""
    _store_uploads(request, application, _chosen_category(form, application, categories), upload_errors)
    action = request.POST.get("action", "save_draft")
    if region_refresh(form):
        return None  # re-render with the region picker's next select filled
    save_draft = functools.partial(
        services.application_save_draft, applicant=request.user, application=application, graduation_year=year
    )
    if _remove_material(request, application) or action in {"upload", "refresh"}:
        form.is_valid()
        save_draft(data=form.valid_data())
        return None
    if action == "submit":
        # A valid form goes straight to the service, which keeps its data when it submits
        # and answers a repeat (a second tab that got there first) with the same submission.
        if form.is_valid() and not upload_errors:
            try:
                _submit(request, application, form, year, returned=returned)
                return redirect("subsidy:submitted", pk=application.pk)
            except DomainError as error:
                slots = [f for f in error.fields if f.startswith("material_")]
                for slot in slots:  # a missing document is shown beside its upload slot
                    upload_errors.setdefault(slot, []).append(error.message)
                if not slots:
                    error.add_to_form(form)
        save_draft(data=form.valid_data())  # what passed is kept for the next try
        return None
    form.is_valid()
    save_draft(data=form.valid_data())
    if not form.errors and not upload_errors:
        messages.success(request, _("草稿已保存。退出登录后再进入本页，填写的内容仍在。"))
        return redirect("subsidy:apply")
    messages.warning(request, _("草稿已保存，但有的内容不正确，没有保存，请按提示修改。"))
    return None


def _refused(request, now):
    """The page for each reason a person cannot fill the form now (eligibility.apply_status_for)."""
    if now.problem == APPLIED:
        messages.info(request, _("您已提交过求职创业补贴申请，每人只能申领一次。以下是您的申请。"))
        return redirect("subsidy:case", pk=now.application.pk)
    if not now.card.ok:
        context = {"problem": now.card.problem, "card": now.card.card}
        return render(request, "subsidy/precondition.html", context)
    return render(request, "subsidy/closed.html", {"next_window": selectors.window_next()})


@keeps_typed_after_expiry
@person_required
def apply(request):
    now = apply_status_for(request.user)
    if _repeated_submit(request, now.application):  # a double tap: the same confirmation again
        return redirect("subsidy:submitted", pk=now.application.pk)
    if not now.can_apply:
        return _refused(request, now)
    year = now.graduation_year
    application = now.application
    if application is None:
        # Opening the form writes nothing; the first thing the person sends starts the draft.
        if request.method == "POST":
            application = services.application_start(applicant=request.user).application
        else:
            application = services.application_blank(applicant=request.user)
    categories = list(selectors.categories_for(year))
    form = ApplicationForm(
        request.POST or None,
        initial=_initial(application),
        categories=categories,
        draft=request.POST.get("action", "save_draft") != "submit",
    )
    upload_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        response = _apply_post(
            request,
            application,
            form,
            year,
            categories=categories,
            returned=now.returned,
            upload_errors=upload_errors,
        )
        if response is not None:
            return response
        application.refresh_from_db()
    category = _chosen_category(form, application, categories)
    return render(
        request,
        "subsidy/apply.html",
        {
            "form": form,
            "application": application,
            "year": year,
            "window": now.window,
            "returned": now.returned,
            "category": category,
            "category_check": category_finding(application, category.code) if category else None,
            "categories": categories,
            "card": now.card.card,
            "attached": selectors.attached_materials(application),
            "upload_errors": upload_errors,
            "my_materials": selectors.materials_unattached_for(request.user, application),
            "last_opinion": selectors.last_opinion(application) if now.returned else None,
            "withdrawn_offer": bool(withdrawn_answers_for(now, application)),
        },
    )


@person_required
def apply_fill_from_withdrawn(request):
    """使用上次撤回的申请信息填写: the button of the form's notice. Only a POST fills; a GET (the
    address a login sends back to when the session had ended before the button was pressed)
    shows the form, where the offer is made again."""
    if request.method != "POST":
        return redirect("subsidy:apply")
    try:
        filled = services.application_fill_from_withdrawn(applicant=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("subsidy:apply")
    if filled.fields:
        messages.success(
            request,
            _("已填入上次撤回的申请中仍然有效的信息，并保存为草稿。请逐项核对，上传材料后再提交。"),
        )
    else:
        messages.info(request, _("上次撤回的申请中没有可以填入的信息，请直接填写。"))
    return redirect("subsidy:apply")


@person_required
def category_materials(request):
    """htmx: the upload slots for the category just chosen."""
    now = apply_status_for(request.user)
    if not now.can_apply:
        raise Http404
    application = now.application or services.application_blank(applicant=request.user)
    year = now.graduation_year
    categories = list(selectors.categories_for(year)) if year else []
    code = request.GET.get("category", "")
    category = next((c for c in categories if c.code == code), None)
    return render(
        request,
        "subsidy/_materials.html",
        {
            "category": category,
            "category_check": category_finding(application, category.code) if category else None,
            "application": application,
            "attached": selectors.attached_materials(application),
            "upload_errors": {},
            "my_materials": selectors.materials_unattached_for(request.user, application),
        },
    )


def _case_or_404(request, pk):
    try:
        return selectors.application_get_for(request.user, pk)
    except Application.DoesNotExist:
        raise Http404 from None


@person_required
def submitted(request, pk):
    application = _case_or_404(request, pk)
    if application.state == S.DRAFT:
        return redirect("subsidy:apply")
    return render(request, "subsidy/submitted.html", {"application": application})


@person_required
def case(request, pk):
    application = _case_or_404(request, pk)
    if application.state == S.DRAFT:
        return redirect("subsidy:apply")
    events = list(application.timeline.select_related("organisation"))
    return render(
        request,
        "subsidy/case.html",
        {
            "application": application,
            "steps": progress_steps(application, events),
            "payment_failure": _payment_failure(application, events),
            "panels": case_panels(request, application),
            "checks": checks_for(application),
            "category": selectors.category_of(application),
            "can_withdraw": application.state in (S.SCHOOL_REVIEW, S.RETURNED),
        },
    )


def _payment_failure(application, events):
    """The bank's latest reason for a failed payment and what the person must do about it."""
    if application.state != S.PAYMENT_FAILED:
        return None
    failures = [event for event in events if event.action == "bank_failed"]
    reason = failures[-1].opinion if failures else ""
    return {"reason": reason or _("银行未说明原因"), "advice": advice_for(reason)}


@require_POST
@person_required
def withdraw(request, pk):
    application = _case_or_404(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("请勾选“我确认撤回这笔申请”后再撤回。"))
        return redirect("subsidy:case", pk=pk)
    try:
        services.application_withdraw(applicant=request.user, application=application)
        messages.success(request, _("申请已撤回。如仍在申报期内，您可以重新申报。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("subsidy:case", pk=pk)


@person_required
def receipt_pdf(request, pk):
    application = _case_or_404(request, pk)
    if application.record_number is None:
        raise Http404
    return receipt.download(request, application)


@person_required
def materials(request):
    in_use = selectors.material_ids_in_use(request.user)
    listed = list(selectors.material_list_for(request.user))
    for material in listed:
        material.in_use = str(material.pk) in in_use
    context = {
        "materials": listed,
        "quota_files": settings.MATERIAL_QUOTA_FILES,
        "quota_megabytes": settings.MATERIAL_QUOTA_BYTES // (1024 * 1024),
    }
    return render(request, "subsidy/materials.html", context)


def _own_material_or_404(request, pk) -> Material:
    try:
        return selectors.material_get_for(request.user, pk)
    except (Material.DoesNotExist, ValueError):
        raise Http404 from None


@require_POST
@person_required
def material_delete(request, pk):
    """我的材料: delete a file no application uses, to make room for new uploads."""
    material = _own_material_or_404(request, pk)
    try:
        services.material_delete(owner=request.user, material=material)
        messages.success(request, _("已删除该材料。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("subsidy:materials")


@person_required
def material_file(request, pk):
    """The owner's own file, decrypted; never from a public URL."""
    return material_response(_own_material_or_404(request, pk))


@login_required
def objection(request, pk):
    """提出异议 against one entry of an open 公示; anyone logged in may."""
    publicity_row = get_object_or_404(publicity.publicity_list_public(), pk=pk)
    entries = publicity.publicity_entries(publicity_row)
    form = ObjectionForm(request.POST or None, entries=entries)
    is_open = publicity_row.closed_at is None and timezone.now() < publicity_row.closes_at
    if request.method == "POST" and is_open and form.is_valid():
        try:
            publicity.objection_raise(
                actor=request.user,
                publicity=publicity_row,
                application_id=form.cleaned_data["entry"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("异议已提交，学校将核实处理。感谢您的监督。"))
            return redirect("notices:detail", pk=publicity_row.notice_id)
        except DomainError as error:
            error.add_to_form(form)
    return render(
        request, "subsidy/objection.html", {"publicity": publicity_row, "form": form, "is_open": is_open}
    )
