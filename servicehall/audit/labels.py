"""What each audited action is called on the auditor's page, and the groups it can be filtered
by. Codes are the `action` strings services write; a code missing here is shown as written."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "account.register": _("注册"),
    "account.create": _("创建账户"),
    "account.login.password": _("密码登录"),
    "account.login.sms": _("短信验证码登录"),
    "account.login.qr": _("扫码登录"),
    "account.login.staff": _("单位登录"),
    "account.login.app.register": _("注册并登录（APP）"),
    "account.login.app.password": _("密码登录（APP）"),
    "account.login.app.sms": _("短信验证码登录（APP）"),
    "account.login.provider": _("其他登录方式登录"),
    "account.login.app.provider": _("其他登录方式登录（APP）"),
    "account.provider.bind": _("绑定其他登录方式"),
    "account.provider.unbind": _("解绑其他登录方式"),
    "account.provider.refused": _("其他登录方式被拒绝"),
    "account.logout.app": _("退出登录（APP）"),
    "account.app.refresh_reused": _("APP登录凭证被重复使用（该次登录已注销）"),
    "account.sign_out_everywhere": _("退出所有设备"),
    "account.password.reset": _("找回密码"),
    "account.password.change": _("修改密码"),
    "account.password.set": _("设置初始密码"),
    "account.mobile.change": _("更换手机号码"),
    "account.staff.create": _("新增工作人员"),
    "account.staff.change": _("修改工作人员"),
    "account.staff.disable": _("停用工作人员"),
    "account.staff.enable": _("启用工作人员"),
    "account.qr.confirm": _("确认扫码登录"),
    "account.qr.refuse": _("拒绝扫码登录"),
    "account.appeal.submit": _("提交申诉"),
    "account.appeal.approve": _("申诉通过"),
    "account.appeal.reject": _("申诉驳回"),
    "account.appeal.view_photo": _("查看申诉照片"),
    "subsidy.submit": _("提交申请"),
    "subsidy.resubmit": _("重新提交"),
    "subsidy.withdraw": _("撤回申请"),
    "subsidy.view": _("查看申请详情"),
    "subsidy.progress_lookup": _("办件进度查询（免登录）"),
    "subsidy.reveal_id_number": _("查看完整身份证号码"),
    "subsidy.material_view": _("查看申请材料"),
    "subsidy.material_delete": _("删除我的材料"),
    "subsidy.export": _("导出申请名单"),
    "subsidy.approve": _("审核通过"),
    "subsidy.return": _("退回修改"),
    "subsidy.refuse": _("不予受理"),
    "subsidy.reject": _("审核不通过"),
    "subsidy.publicity_publish": _("发布公示"),
    "subsidy.objection_raise": _("提出公示异议"),
    "subsidy.objection_dismissed": _("异议不成立"),
    "subsidy.objection_upheld": _("异议成立"),
    "subsidy.end_publicity": _("公示期满"),
    "subsidy.batch_approved": _("发放批次审批"),
    "subsidy.bank_paid": _("已发放至社会保障卡"),
    "subsidy.bank_failed": _("发放失败"),
    "payments.batch_build": _("生成发放批次"),
    "payments.batch_approve": _("审批发放批次"),
    "payments.batch_discard": _("作废发放批次"),
    "payments.bank_file_export": _("导出银行发放文件"),
    "payments.bank_file_excel": _("导出发放明细Excel"),
    "payments.return_import": _("导入银行回盘文件"),
    "payments.return_refused": _("回盘文件被拒收"),
    "payments.return_repeated": _("重复导入回盘文件"),
    "payments.job_start": _("提交后台发放任务"),
    "payments.reissue": _("重新发放"),
    "cards.import": _("导入社会保障卡数据"),
    "cards.outlet_import": _("导入即时制卡网点"),
    "notice.publish": _("发布公告"),
    "config.add": _("新增配置"),
    "config.change": _("修改配置"),
    "config.delete": _("删除配置"),
    "config.calendar_import": _("导入节假日安排"),
    "audit.export": _("导出审计记录"),
    "audit.purge": _("清理过期审计记录"),
    "evaluation.rate": _("评价服务"),
    "evaluation.reply": _("回复评价"),
    "consult.ask": _("提交咨询"),
    "consult.answer": _("答复咨询"),
    "retention.purge": _("清理过期数据"),
    "stats.export": _("导出统计数据"),
    "verification.import_start": _("开始导入比对名单"),
    "verification.import": _("导入比对名单"),
    "verification.import_failed": _("比对名单导入失败"),
    "verification.override": _("比对未通过核实放行"),
    "verification.purge_superseded": _("清除被取代的比对名单记录"),
    "outreach.list.import": _("导入毕业生名单"),
    "outreach.list.view": _("查看政策找人名单"),
    "outreach.export": _("导出政策找人名单"),
    "outreach.list.purge": _("清除过期的毕业生名单"),
    "outreach.run": _("发起政策找人比对"),
    "outreach.link.refused": _("政策找人邀请链接被拒绝"),
    "outreach.invitation.confirm": _("确认政策找人邀请"),
    "outreach.invitation.decline": _("不需要政策找人邀请"),
}

# Filter groups: (key, label, how an action belongs to it).
GROUPS = [
    ("login", _("登录与退出"),
     lambda code: code.startswith(("account.login.", "account.logout.", "account.provider."))),
    (
        "personal_data",
        _("查看个人数据"),
        lambda code: (
            code
            in {
                "subsidy.view",
                "subsidy.reveal_id_number",
                "subsidy.material_view",
                "account.appeal.view_photo",
                "outreach.list.view",
            }
        ),
    ),
    (
        "export",
        _("导出"),
        lambda code: code.endswith(".export") or code.startswith("payments.bank_file_"),
    ),
    ("state", _("申请办理"), lambda code: code.startswith("subsidy.") and code not in _VIEWS),
    ("payments", _("补贴发放"), lambda code: code.startswith("payments.")),
    ("config", _("配置变更"), lambda code: code.startswith(("config.", "account.staff."))),
    ("import", _("数据导入"), lambda code: code.endswith("import") or code.startswith("verification.")),
]
_VIEWS = {"subsidy.view", "subsidy.reveal_id_number", "subsidy.material_view", "subsidy.export"}


def label_of(code: str) -> str:
    return str(LABELS.get(code, code))


def codes_in_group(key: str, known_codes) -> list[str]:
    test = next((test for group, _label, test in GROUPS if group == key), None)
    return [code for code in known_codes if test and test(code)]
