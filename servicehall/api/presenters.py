"""Plain dicts of the subsidy's objects for the serializers, read through the subsidy's own
selectors and progress steps (the same the pages show)."""

from django.utils.translation import gettext_lazy as _

from servicehall.core.masking import mask_account, mask_id_number
from servicehall.subsidy import selectors
from servicehall.subsidy.constants import CONCLUDED, EDITABLE, ApplicationStatus, next_state
from servicehall.subsidy.progress import progress_steps

SERVICE_NAME = _("求职创业补贴个人申报")
S = ApplicationStatus


def material_dict(material) -> dict:
    return {
        "id": material.id,
        "original_name": material.original_name,
        "content_type": material.content_type,
        "size": material.size,
        "pages": material.pages,
        "uploaded_at": material.uploaded_at,
    }


def application_dict(application) -> dict:
    attached = selectors.attached_materials(application)
    last = application.timeline.exclude(opinion="").last() if application.state == S.RETURNED else None
    return {
        "id": application.pk,
        "record_number": application.record_number,
        "state": application.state,
        "state_display": application.get_state_display(),
        "editable": application.state in EDITABLE,
        "graduation_year": application.graduation_year_id,
        "category": application.category_code,
        "name": application.name,
        "gender_display": application.get_gender_display(),
        "masked_id_number": mask_id_number(application.id_number),
        "ethnic_group": application.ethnic_group_id,
        "education_level": application.education_level_id,
        "school": application.school_id,
        "student_number": application.student_number,
        "department": application.department,
        "major": application.major,
        "mobile": application.mobile,
        "hukou_region": application.hukou_region_id,
        "hukou_address": application.hukou_address,
        "residence_region": application.residence_region_id,
        "residence_address": application.residence_address,
        "bank": application.bank.name if application.bank_id else "",
        "masked_account": mask_account(application.account) if application.account else "",
        "materials": [
            {"requirement_id": requirement, "files": [material_dict(m) for m in files]}
            for requirement, files in sorted(attached.items())
        ],
        "last_opinion": last.opinion if last else "",
        "submitted_at": application.submitted_at,
    }


def case_dict(application) -> dict:
    return {
        "id": application.pk,
        "service": str(SERVICE_NAME),
        "record_number": application.record_number,
        "state": application.state,
        "state_display": application.get_state_display(),
        "concluded": application.state in CONCLUDED,
        "submitted_at": application.submitted_at,
    }


def case_detail_dict(application) -> dict:
    events = list(application.timeline.select_related("organisation"))
    category = selectors.category_of(application)
    steps = progress_steps(application, events)
    return {
        **case_dict(application),
        "school": application.school.name if application.school_id else None,
        "category": category.name if category else None,
        "can_withdraw": next_state("withdraw", "applicant", application.state) is not None,
        "steps": [
            {
                "label": step.label,
                "status": step.status,
                "note": step.note,
                "events": [
                    {
                        "action": event.action,
                        "action_label": str(event.action_label),
                        "organisation": event.organisation.name if event.organisation_id else None,
                        "opinion": event.opinion,
                        "at": event.at,
                    }
                    for event in step.events
                ],
            }
            for step in steps
        ],
    }
