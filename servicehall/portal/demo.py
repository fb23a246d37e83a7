"""The demo organisations and accounts `make run` loads (development only)."""

from stdnum.cn import ric

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - a published demo password, dev data only


def _resident_id(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17 + "0")  # it skips the last digit


APPLICANT = {
    "name": "张晓明",
    "id_number": _resident_id("32010220040315003"),
    "mobile": "13800000001",
}
# 政策找人: 南京大学's graduating class (imported as the school would), matched against a demo
# 城乡低保 list and a demo 残疾人证 list. 王小红 has an account and a card: she is invited in
# 我的消息 and by SMS, and confirms in one step; 陈思远 has neither (told to get a card first);
# 刘洋 is on no list.
GRADUATE = {
    "name": "王小红",
    "id_number": _resident_id("32010220050601004"),
    "mobile": "13800000002",
}
GRADUATING_CLASS = [
    # (name, ID number, student number, 院系, 专业, 学历, mobile)
    (GRADUATE["name"], GRADUATE["id_number"], "221250102", "计算机学院", "软件工程", "大学本科",
     GRADUATE["mobile"]),
    ("陈思远", _resident_id("32010220050712005"), "221250217", "商学院", "会计学", "大学本科",
     "13800000003"),
    ("刘洋", _resident_id("32010220050823006"), "221250333", "文学院", "汉语言文学", "大学本科",
     "13800000004"),
]
SUBSISTENCE_LIST = [(GRADUATE["name"], GRADUATE["id_number"])]
DISABILITY_LIST = [("陈思远", GRADUATING_CLASS[1][1])]

ORGANISATIONS = [
    # (name, kind, region code, school code)
    ("江苏省人力资源和社会保障厅", "platform", "320000", None),
    ("南京市人力资源和社会保障局", "bureau", "320100", None),
    ("南京大学", "school", "320100", "4132010284"),
]
STAFF = [
    # (username, name, role, organisation, mobile, what they do)
    ("nju.reviewer", "李老师", "school_reviewer", "南京大学", "13900000011", "学校审核"),
    ("nj.reviewer1", "王科员", "bureau_reviewer", "南京市人力资源和社会保障局", "13900000021",
     "人社初审"),
    ("nj.reviewer2", "赵科员", "bureau_reviewer", "南京市人力资源和社会保障局", "13900000022",
     "人社复审"),
    ("nj.finance", "钱会计", "payment_officer", "南京市人力资源和社会保障局", "13900000031",
     "补贴发放（制单）"),
    ("nj.finance2", "周会计", "payment_officer", "南京市人力资源和社会保障局", "13900000032",
     "补贴发放（审批）"),
    ("js.admin", "孙管理员", "operator", "江苏省人力资源和社会保障厅", "13900000041", "平台管理"),
    ("js.auditor", "吴审计", "auditor", "江苏省人力资源和社会保障厅", "13900000051", "审计查询"),
]

# Demo notices: shown with a 演示数据 tag, never passed off as real announcements.
NOTICES = [
    ("关于做好2027届高校毕业生求职创业补贴申领工作的通知", "江苏省人力资源和社会保障厅", 20,
     "各设区市人力资源和社会保障局，各高等学校：\n\n"
     "2027届毕业生求职创业补贴申报期为2026年9月1日至9月30日，补发申报期为2027年5月1日至5月31日。"
     "符合条件的毕业生可登录本大厅，在【个人办事】中搜索“求职创业补贴”，点击【申报】在线申请。\n\n"
     "补贴标准为每人1500元，经学校审核公示、人社部门初审复审后，直接发放至本人社会保障卡金融账户。"
     "请尚未办理社会保障卡或未开通金融功能的学生尽快到即时制卡网点办理。"),
    ("网上办事服务大厅系统维护公告", "江苏省人力资源和社会保障厅", 8,
     "为提升服务质量，本大厅将于周六凌晨0:00至6:00进行系统维护，期间暂停网上办理业务。\n\n"
     "已提交的申请不受影响。给您带来的不便，敬请谅解。"),
    ("关于启用网上办事服务大厅长辈版的说明", "江苏省人力资源和社会保障厅", 3,
     "点击页面顶部的【长辈版】，可切换为大字体、高对比度的显示方式，再次点击【退出长辈版】恢复标准版。"
     "本设置会保存在您使用的浏览器中。"),
]

WINDOW_NOTE = "演示环境：为便于体验，本期申报期已延长到今天之后，真实申报期为9月1日至9月30日。"
