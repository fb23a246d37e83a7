"""电子社保卡 (the person's card and its QR code), the public check the QR code opens, and the
operators' import of the card system's data."""


from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from servicehall.accounts.decorators import person_required
from servicehall.accounts.views.staff import operator_required
from servicehall.core.errors import DomainError
from servicehall.core.qr import qr_svg

from . import selectors, services
from .forms import CardImportForm
from .importing import COLUMN_LABEL, MAX_ROWS
from .models import CardImportBatch, SocialSecurityCard
from .services import MAX_REPORTED_PROBLEMS

RECENT_BATCHES = 20

# What each column of the import file holds (IMPORT_FORMAT.md says the same).
COLUMN_NOTES = [
    ("id_number", gettext_lazy("18位居民身份证号码，最后一位可以是X；请将该列设为文本格式")),
    ("name", gettext_lazy("持卡人姓名，与证件一致")),
    ("card_number", gettext_lazy("9位字母或数字，如A12345678；同一卡号再次导入即更新该卡")),
    ("generation", gettext_lazy("2、3、第二代或第三代")),
    ("bank", gettext_lazy("合作银行的名称或代码，如“中国工商银行”或“102”")),
    ("account", gettext_lazy("社会保障卡金融账户的银行账号，12-25位数字")),
    ("financial_active", gettext_lazy("已开通或未开通")),
    ("status", gettext_lazy("正常、挂失或注销")),
    ("issued_on", gettext_lazy("YYYY-MM-DD，如2024-09-01；也可以是Excel日期单元格")),
]




def _qr_svg(data: str) -> str:
    return qr_svg(data, label=_("电子社保卡核验二维码"))


@person_required
@require_safe
@never_cache
def my(request):
    status = selectors.card_payment_status(request.user)
    card = status.card
    qr_svg = verify_url = ""
    if card is not None and card.status == SocialSecurityCard.Status.NORMAL:
        token = selectors.verify_token_for(card)
        verify_url = request.build_absolute_uri(reverse("cards:verify", args=[token]))
        qr_svg = _qr_svg(verify_url)
    return render(request, "cards/my.html", {
        "card": card, "problem": status.problem, "qr_svg": qr_svg, "verify_url": verify_url,
        "lifetime_minutes": int(selectors.VERIFY_LIFETIME.total_seconds() // 60),
    })


@require_safe
@never_cache
def verify(request, token: str):
    """What scanning the QR code opens, for anyone: the card's status, nothing more."""
    result = selectors.card_from_verify_token(token)
    return render(request, "cards/verify.html", {
        "result": result, "card": result.card, "checked_at": timezone.localtime(),
    })


@operator_required
def import_cards(request):
    if request.method == "POST":
        form = CardImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = services.card_import(actor=request.user,
                                             uploaded_file=form.cleaned_data["file"],
                                             request=request)
            except DomainError as exc:
                exc.add_to_form(form)
            else:
                return redirect("cards:import_report", batch_id=batch.pk)
    else:
        form = CardImportForm()
    return render(request, "cards/import.html", {
        "form": form,
        "batches": selectors.batch_list_for(request.user)[:RECENT_BATCHES],
        "columns": [(COLUMN_LABEL[name], note) for name, note in COLUMN_NOTES],
        "header_line": ",".join(COLUMN_LABEL[name] for name, _note in COLUMN_NOTES),
        "max_rows": f"{MAX_ROWS:,}",
    })


@operator_required
def import_report(request, batch_id: int):
    try:
        batch = selectors.batch_get_for(request.user, batch_id)
    except CardImportBatch.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "cards/import_report.html", {
        "batch": batch,
        "same_file_before": selectors.batch_same_file_before(batch),
        "problems": batch.rejected_rows,
        "problems_cut": len(batch.rejected_rows) >= MAX_REPORTED_PROBLEMS,
        "max_problems": MAX_REPORTED_PROBLEMS,
    })
