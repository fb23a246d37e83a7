"""电子社保卡 (the person's card and its QR code), the public check the QR code opens, the
operators' imports of the card system's data and of the 即时制卡网点, the public outlet list,
and 照片检测."""

import base64
import binascii
import hashlib
import hmac
import io

from django.contrib import messages
from django.core import signing
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from servicehall.accounts.views.staff import operator_required
from servicehall.core import ratelimit, wording
from servicehall.core.decorators import person_required
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip, safe_next
from servicehall.core.qr import qr_svg
from servicehall.core.uploads import JPEG, MAX_UPLOAD_BYTES, PNG, check_upload

from . import photo, rechecks, selectors, services
from .forms import CardImportForm, OutletFilterForm, OutletImportForm, PhotoCheckForm
from .importing import COLUMN_LABEL, MAX_ROWS, OUTLET_COLUMN_LABEL
from .models import CardImportBatch, OutletImportBatch, SocialSecurityCard
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


def _import_page(request, *, form_class, importer, report_url_name, template, labels, notes, extra=None):
    """An operator's import page (cards, outlets): the file is handed to the service, a
    refused file's reason goes next to the field, a taken one leads to its report."""
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = importer(
                    actor=request.user,
                    uploaded_file=form.cleaned_data["file"],
                    client_address=client_ip(request),
                )
            except DomainError as exc:
                exc.add_to_form(form)
            else:
                return redirect(report_url_name, batch_id=batch.pk)
    else:
        form = form_class()
    return render(request, template, {
        "form": form,
        "import_url": request.path,
        "report_url_name": report_url_name,
        "columns": [(labels[name], note) for name, note in notes],
        "header_line": ",".join(labels[name] for name, _note in notes),
        **(extra or {}),
    })


def _import_report(request, batch, *, template, import_url_name, value_label):
    return render(request, template, {
        "batch": batch,
        "import_url": reverse(import_url_name),
        "value_label": value_label,
        "same_file_before": selectors.batch_same_file_before(batch),
        "problems": wording.read_rows(batch.rejected_rows),
        "problems_cut": len(batch.rejected_rows) >= MAX_REPORTED_PROBLEMS,
        "max_problems": MAX_REPORTED_PROBLEMS,
    })


@operator_required
def import_cards(request):
    return _import_page(
        request, form_class=CardImportForm, importer=services.card_import,
        report_url_name="cards:import_report", template="cards/import.html",
        labels=COLUMN_LABEL, notes=COLUMN_NOTES,
        extra={"batches": selectors.batch_list_for(request.user)[:RECENT_BATCHES],
               "max_rows": f"{MAX_ROWS:,}"},
    )


@operator_required
def import_report(request, batch_id: int):
    try:
        batch = selectors.batch_get_for(request.user, batch_id)
    except CardImportBatch.DoesNotExist as exc:
        raise Http404 from exc
    return _import_report(request, batch, template="cards/import_report.html",
                          import_url_name="cards:import", value_label=_("内容（已脱敏）"))


# --- 即时制卡网点 ---------------------------------------------------------------------------------

OUTLETS_PER_PAGE = 20

OUTLET_COLUMN_NOTES = [
    ("city", gettext_lazy("必填。江苏省的设区市，如“南京市”或“南京”")),
    ("district", gettext_lazy("可空。该市下属的区、县或县级市，如“玄武区”或“玄武”")),
    ("name", gettext_lazy("必填，最多100个字。同一城市的同名网点再次导入即更新该网点")),
    ("address", gettext_lazy("必填，最多200个字")),
    ("hours", gettext_lazy("可空，最多200个字，如“周一至周五 9:00-17:00”")),
    ("phone", gettext_lazy("可空。如025-83279999、12333或手机号码，多个号码用“、”分隔；"
                           "请将该列设为文本格式")),
    ("takes_photos", gettext_lazy("必填。“是”或“否”：网点能否现场拍摄证件照")),
]


@require_safe
def outlets(request):
    """社会保障卡即时制卡网点, for anyone: by city and district, by a few characters of the
    name or address, and only those that take photos. Plain GET, so it works without
    JavaScript; htmx refreshes the district list and the results in place."""
    form = OutletFilterForm(request.GET or None)
    if not form.is_bound:
        found = selectors.outlet_search()
    elif form.is_valid():
        found = selectors.outlet_search(
            city=form.city, district=form.chosen_district, query=form.cleaned_data["q"],
            takes_photos=form.cleaned_data["photo"],
        )
    else:
        found = selectors.outlet_search().none()
    page = Paginator(found, OUTLETS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cards/outlets.html", {
        "form": form, "page": page, "outlets": page.object_list,
        "shows_demo": any(outlet.is_demo for outlet in page.object_list),
        "filtered": form.is_bound and any(
            request.GET.get(name) for name in ("city", "district", "q", "photo")),
    })


@operator_required
def import_outlets(request):
    return _import_page(
        request, form_class=OutletImportForm, importer=services.outlet_import,
        report_url_name="cards:outlet_import_report", template="cards/outlet_import.html",
        labels=OUTLET_COLUMN_LABEL, notes=OUTLET_COLUMN_NOTES,
        extra={"batches": selectors.outlet_batch_list_for(request.user)[:RECENT_BATCHES]},
    )


@operator_required
def outlet_import_report(request, batch_id: int):
    try:
        batch = selectors.outlet_batch_get_for(request.user, batch_id)
    except OutletImportBatch.DoesNotExist as exc:
        raise Http404 from exc
    return _import_report(request, batch, template="cards/outlet_import_report.html",
                          import_url_name="cards:outlet_import", value_label=_("内容"))


# --- 照片检测 -------------------------------------------------------------------------------------

# Checking decodes an image of up to 40 megapixels: enough for anyone checking their photos a few
# times, not enough to keep the server busy.
PHOTO_CHECKS_PER_WINDOW = 30
PHOTO_WINDOW_SECONDS = 10 * 60
PHOTO_SIGNING_SALT = "cards.photo.fixed"
DOWNLOAD_NAME = "证件照_358x441.jpg"


class PhotoMemoryUploadHandler(FileUploadHandler):
    """The photo is held in memory only, never in a temporary file, whatever its size: at most
    MAX_UPLOAD_BYTES + 1 bytes are kept (enough for check_upload to say it is too big), and the
    size reported is what was sent. Files in other fields, or a second photo, are dropped."""

    def __init__(self, request=None):
        super().__init__(request)
        self.taken = False
        self.buffer = None
        self.received = 0

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.buffer = None
        if field_name == "photo" and not self.taken:
            self.taken = True
            self.buffer = io.BytesIO()
            self.received = 0

    def receive_data_chunk(self, raw_data, start):
        if self.buffer is not None:
            self.received += len(raw_data)
            room = MAX_UPLOAD_BYTES + 1 - self.buffer.tell()
            if room > 0:
                self.buffer.write(raw_data[:room])
        return None  # no later handler gets the data

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer, field_name=self.field_name, name=self.file_name,
            content_type=self.content_type, size=self.received, charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


_UPLOAD_MESSAGES = {
    "upload_too_big": gettext_lazy("照片文件不能超过10MB，请压缩后重新上传。"),
    "upload_type": gettext_lazy("无法识别该文件：请上传JPG（或PNG）格式的照片。"),
    "image_too_big": gettext_lazy("照片尺寸过大，无法检测：请上传不超过4000万像素的照片。"),
}


_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _photo_bytes(upload) -> bytes:
    """The upload's own bytes, once core.uploads has shown it is a JPEG or PNG that decodes and
    is not a decompression bomb (its re-encoded copy is not used: see photo.py). Anything that
    does not even start like a JPEG or PNG is refused first, so that a PDF is never parsed."""
    not_image = DomainError(str(_UPLOAD_MESSAGES["upload_type"]), code="upload_type", fields=("photo",))
    upload.seek(0)
    if upload.size and not upload.read(8).startswith(_IMAGE_MAGIC):
        raise not_image
    try:
        checked = check_upload(upload, field="photo")
    except DomainError as exc:
        if exc.code in _UPLOAD_MESSAGES:
            raise DomainError(str(_UPLOAD_MESSAGES[exc.code]), code=exc.code, fields=("photo",)) from exc
        raise
    if checked.content_type not in (JPEG, PNG):
        raise not_image
    upload.seek(0)
    return upload.read(MAX_UPLOAD_BYTES + 1)


def _signature(data: bytes) -> str:
    return signing.Signer(salt=PHOTO_SIGNING_SALT).sign(hashlib.sha256(data).hexdigest())


def _signed_fixed_copy(post) -> bytes | None:
    """The fixed copy a result page carries back, when its signature shows the hall made it."""
    try:
        data = base64.b64decode(post.get("fixed", ""), validate=True)
        digest = signing.Signer(salt=PHOTO_SIGNING_SALT).unsign(post.get("signature", ""))
    except (binascii.Error, ValueError, signing.BadSignature):
        return None
    if not data or not hmac.compare_digest(digest, hashlib.sha256(data).hexdigest()):
        return None
    return data


def _download(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = content_disposition_header(True, DOWNLOAD_NAME)
    return response


@csrf_exempt  # checked below, once the upload handler is in place
def photo_check(request):
    """照片检测, for anyone. POST checks a photo in memory and answers with the results and a
    fixed copy; nothing is stored. `download=1` answers with the fixed copy as a file: of the
    photo posted with it, or of the signed copy the result page carries back."""
    if request.method == "POST":
        # Must be set before the body is read, hence before the CSRF check reads the form.
        request.upload_handlers = [PhotoMemoryUploadHandler(request)]
    return _photo_check(request)


@csrf_protect
@never_cache
def _photo_check(request):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    context = {"requirements": _requirements()}
    if request.method != "POST":
        return render(request, "cards/photo_check.html", {**context, "form": PhotoCheckForm()})

    wants_download = request.POST.get("download") == "1"
    if wants_download and "fixed" in request.POST:
        fixed = _signed_fixed_copy(request.POST)
        if fixed is not None:
            return _download(fixed)
        return render(request, "cards/photo_check.html", {
            **context, "form": PhotoCheckForm(),
            "page_error": _("无法下载：照片数据已失效，请重新上传照片检测。"),
        }, status=400)

    if not ratelimit.hit("cards.photo_check", client_ip(request), limit=PHOTO_CHECKS_PER_WINDOW,
                         window=PHOTO_WINDOW_SECONDS):
        minutes = -(-ratelimit.seconds_until_next_window(PHOTO_WINDOW_SECONDS) // 60)
        return render(request, "cards/photo_check.html", {
            **context, "form": PhotoCheckForm(),
            "page_error": _("检测次数过多，请%(minutes)s分钟后再试。") % {"minutes": minutes},
        }, status=429)
    form = PhotoCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "cards/photo_check.html", {**context, "form": form}, status=400)
    try:
        original = _photo_bytes(form.cleaned_data["photo"])
        if wants_download:
            return _download(photo.fix(original))
        results = photo.check(original)
        # A fixed copy only when it would put something right (the background it cannot).
        fixed = photo.fix(original) if any(r.fixable and not r.passed for r in results) else None
    except DomainError as exc:
        exc.add_to_form(form)
        return render(request, "cards/photo_check.html", {**context, "form": form}, status=400)
    return render(request, "cards/photo_check.html", {
        **context, "form": PhotoCheckForm(), **_result_context(results, fixed),
    })


def _requirements() -> list[str]:
    return [
        _("JPG（JPEG）格式"),
        _("宽358×高441像素（允许相差%(tolerance)s像素）") % {"tolerance": photo.SIZE_TOLERANCE},
        _("文件大小15–100KB"),
        _("24位真彩色（RGB）"),
        _("白色或浅色的纯色背景，头顶上方留有空白"),
    ]


def _result_context(results: list[photo.CheckResult], fixed: bytes | None) -> dict:
    failed = [result for result in results if not result.passed]
    by_key = {result.key: result for result in results}
    context = {
        "checked": True, "results": results, "failed_count": len(failed),
        "background_failed": not by_key[photo.BACKGROUND].passed,
        "offer_fix": fixed is not None,
    }
    if fixed is not None:
        width, height = by_key[photo.DIMENSIONS].value
        context.update({
            "fixed_results": photo.check(fixed),
            "fixed_data": base64.b64encode(fixed).decode("ascii"),
            "fixed_signature": _signature(fixed),
            # Smaller than asked for on either side: the fixed copy is enlarged, and soft.
            "low_resolution": min(width, height) < photo.TARGET_WIDTH
            or max(width, height) < photo.TARGET_HEIGHT,
        })
    return context


# --- 申请核对: told when the card list changes -----------------------------------------------------


@require_POST
@person_required
def recheck(request):
    """The person asks to be told, after the next card import, what it says of their card."""
    back = safe_next(request, reverse("cards:my"))
    try:
        rechecks.card_recheck_request(user=request.user)
    except DomainError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, _(
            "已收到您的核对申请。下次社会保障卡数据更新后，我们会用短信和站内消息告诉您核对结果。"
        ))
    return redirect(back)
