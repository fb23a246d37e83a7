"""使用上次撤回的申请信息填写: a person who withdrew an application and applies again is offered
the answers of their last withdrawn one for the new form. The page's notice, its button, and the
API's `withdrawn_answers` / `fill_from_withdrawn` all read withdrawn_answers_for; the one write is
services.application_fill_from_withdrawn.

Which answers: only the person's own (the withdrawn application comes from
selectors.application_claim_and_withdrawn_for, by their account and ID number), only those the
form still accepts in the year they now apply in (a school no longer open, a category no longer in
force, a retired region, an education level no longer offered are left out: the form's own rules
decide, so this never drifts from what 保存草稿 accepts), and only for fields the new form leaves
empty (nothing the person typed is overwritten).

Uploaded documents are not carried over: a category's documents differ from year to year (the
required documents are rows of the year's categories), and an old 低保证 or 残疾人证 attached
without the person looking at it is what a reviewer would then judge. The files stay in 我的材料,
which the form already offers beside each document, to be chosen one by one."""

from .constants import ApplicationStatus
from .eligibility import ApplyStatus
from .forms import FOREIGN_KEYS, ApplicationForm, application_values, as_posted
from .models import Application
from .selectors import categories_for


def _empty_in(application: Application, name: str) -> bool:
    if name == "category":
        return not application.category_code
    if name in FOREIGN_KEYS:
        return getattr(application, f"{name}_id") is None
    return not getattr(application, name)


def withdrawn_answers_for(now: ApplyStatus, application: Application) -> dict:
    """The answers of the person's last withdrawn application that the form still accepts and
    `application` (their new draft, or the blank form) leaves empty, as the form's cleaned values
    (what services.application_save_draft takes); {} when there is nothing to offer: no withdrawn
    application, the person cannot apply now, or the form is not a new application's (a returned
    application is corrected, not filled)."""
    withdrawn, year = now.withdrawn, now.graduation_year
    if withdrawn is None or year is None or not now.can_apply or now.returned:
        return {}
    if application.state != ApplicationStatus.DRAFT or withdrawn.applicant_id != application.applicant_id:
        return {}
    answers = as_posted(application_values(withdrawn))
    form = ApplicationForm(answers, categories=categories_for(year), draft=True)
    form.is_valid()
    return {
        name: value
        for name, value in form.valid_data().items()
        if value not in (None, "") and _empty_in(application, name)
    }
