"""Can this person apply now, and in which graduation year: one answer for the page
(/subsidy/apply/) and the app (GET/POST /api/v1/subsidy/apply-status, the form's options).

What stands between a person and the form, in this order: a claim already submitted (one per
life), a social security card that cannot receive the money, no open application window (a
returned application may still be corrected after the window)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from servicehall.cards.selectors import CardPaymentStatus, card_payment_status
from servicehall.core.errors import DomainError

from . import selectors
from .constants import EDITABLE, ApplicationStatus
from .models import Application, ApplicationWindow, GraduationYear

APPLIED = "applied"
WINDOW_CLOSED = "window_closed"


def graduation_year_for(application: Application | None, window: ApplicationWindow | None):
    """The year whose categories the form offers: a returned application keeps its own (it may
    be corrected after the window), anything else applies in the open window's year."""
    if application is not None and application.state == ApplicationStatus.RETURNED:
        return application.graduation_year
    if window is not None:
        return window.graduation_year
    return application.graduation_year if application is not None else None


@dataclass(frozen=True)
class ApplyStatus:
    problem: str | None  # None, APPLIED, WINDOW_CLOSED or the card's problem (cards.selectors)
    application: Application | None  # the person's claim that still counts, if any
    window: ApplicationWindow | None  # the open window, if any
    card: CardPaymentStatus
    # The last application the person withdrew, if any: its answers may fill a new one
    # (withdrawn_answers.withdrawn_answers_for). Read only for its owner.
    withdrawn: Application | None = None

    @property
    def can_apply(self) -> bool:
        return self.problem is None

    @property
    def returned(self) -> bool:
        return self.application is not None and self.application.state == ApplicationStatus.RETURNED

    @property
    def graduation_year(self) -> GraduationYear | None:
        return graduation_year_for(self.application, self.window)

    def refusal(self) -> DomainError:
        """Why not, as the one error the doors show (the API answers it; the page has a screen
        for each)."""
        if self.problem == APPLIED:
            return DomainError(_("您已提交过求职创业补贴申请，每人只能申领一次。"), code=APPLIED)
        if self.problem == WINDOW_CLOSED:
            return DomainError(_("现在不在申报期内，不能提交申请。"), code=WINDOW_CLOSED)
        return DomainError(
            _("补贴将发放到您的社会保障卡，请先办理社会保障卡并开通金融功能。"), code=f"card_{self.problem}"
        )


def apply_status_for(person) -> ApplyStatus:
    application, withdrawn = selectors.application_claim_and_withdrawn_for(person)
    card = card_payment_status(person)
    window = selectors.window_open()

    def status(problem):
        return ApplyStatus(
            problem=problem, application=application, window=window, card=card, withdrawn=withdrawn
        )

    if application is not None and application.state not in EDITABLE:
        return status(APPLIED)
    if not card.ok:
        return status(card.problem)
    if window is None and not (application is not None and application.state == ApplicationStatus.RETURNED):
        return status(WINDOW_CLOSED)
    return status(None)
