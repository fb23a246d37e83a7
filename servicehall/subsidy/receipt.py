"""回执: a one-page PDF the applicant keeps, with a QR code that opens 办件进度查询 for its record
number (no login: the person adds the ID number or name there).
Personal data on it is masked: receipts get printed and left on desks. The hardship category
is left off for the same reason."""

import io

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from servicehall.core.masking import mask_id_number, mask_name

FONT = "STSong-Light"  # an Adobe CID font every PDF reader has: nothing to embed or ship
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
QR_SIZE = 40 * mm


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def render(application, *, progress_url: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("求职创业补贴个人申报回执"))
    pdf.setAuthor(_("江苏省人力资源和社会保障厅"))
    width, height = A4
    left, y = 25 * mm, height - 30 * mm
    pdf.setFont(FONT, 20)
    pdf.drawCentredString(width / 2, y, _("求职创业补贴个人申报回执"))
    y -= 16 * mm
    rows = [
        (_("申报编号"), application.record_number),
        (_("申请人"), mask_name(application.name)),
        (_("公民身份号码"), mask_id_number(application.id_number)),
        (_("补贴类别"), _("求职创业补贴")),
        (_("毕业学校"), application.school.name if application.school else ""),
        (_("毕业年度"), str(application.graduation_year_id or "")),
        (_("提交时间"), f"{timezone.localtime(application.submitted_at):%Y-%m-%d %H:%M:%S}"),
        (_("当前状态"), application.get_state_display()),
    ]
    pdf.setFont(FONT, 12)
    column = max(pdf.stringWidth(f"{label}：", FONT, 12) for label, _value in rows) + 4 * mm
    for label, value in rows:
        pdf.drawString(left, y, f"{label}：")
        pdf.drawString(left + column, y, value)
        y -= 9 * mm
    y -= 4 * mm
    pdf.setFont(FONT, 11)
    for line in (
        _("接下来：学校审核并公示（不少于5个工作日），再由人社部门初审、复审，"),
        _("通过后补贴直接发放到您本人的社会保障卡金融账户。"),
        _("每一步的结果会以短信通知您，也可登录网上办事服务大厅，在个人中心查看进度。"),
    ):
        pdf.drawString(left, y, line)
        y -= 7 * mm
    renderPDF.draw(_qr(progress_url), pdf, width - left - QR_SIZE, 40 * mm)
    pdf.setFont(FONT, 9)
    pdf.drawRightString(width - left, 35 * mm, _("扫码查询办理进度（需填写身份证号码或姓名）"))
    pdf.drawString(left, 20 * mm, _("江苏省人力资源和社会保障厅 网上办事服务大厅　咨询电话 12333"))
    pdf.drawString(
        left, 15 * mm, _("生成时间：%(time)s") % {"time": f"{timezone.localtime():%Y-%m-%d %H:%M}"}
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def download(request, application) -> FileResponse:
    """The receipt as a download, for the web page and the API alike; the QR code opens
    办件进度查询 for its record number on the host the person asked."""
    progress_url = request.build_absolute_uri(
        f"{reverse('subsidy:progress_lookup')}?number={application.record_number}"
    )
    response = FileResponse(
        io.BytesIO(render(application, progress_url=progress_url)),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"receipt-{application.record_number}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
