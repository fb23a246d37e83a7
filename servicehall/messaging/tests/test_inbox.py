"""我的消息 (site messages): the services, the selectors, the context processor, and the pages
through the test client."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from servicehall.core.errors import DomainError
from servicehall.messaging import selectors, services
from servicehall.messaging.context_processors import inbox as inbox_context
from servicehall.messaging.models import SiteMessage

pytestmark = pytest.mark.django_db

INBOX = "/messaging/inbox/"
CASE_LINK = "/subsidy/cases/12/"
REFUSED_BODY = "您的求职创业补贴申请（2026061512345678）未通过审核。\n\n原因：毕业年度不符合申报条件。"


@pytest.fixture
def other_person(db):
    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType
    from tests.people import PASSWORD, resident_id

    return accounts.person_create_verified(
        id_type=IdType.RESIDENT, id_number=resident_id("32010219990101002"),
        name="王小红", mobile="13800000002", password=PASSWORD,
    )


def send(user, title="申请已提交", body="您的申请已提交，学校将进行审核。", link=""):
    return services.site_message_send(user=user, title=title, body=body, link=link)


# --- Services -----------------------------------------------------------------------------


def test_send_keeps_the_message_unread(person):
    message = send(person, link=CASE_LINK)
    message.refresh_from_db()
    assert message.user == person
    assert message.title == "申请已提交"
    assert message.link == CASE_LINK
    assert message.read_at is None and not message.is_read
    assert message.created_at <= timezone.now()
    assert list(person.site_messages.all()) == [message]


def test_send_strips_title_body_and_link(person):
    message = send(person, title="  标题  ", body="\n正文\n", link=" /subsidy/cases/3/ ")
    assert (message.title, message.body, message.link) == ("标题", "正文", "/subsidy/cases/3/")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"title": ""}, "title_required"),
        ({"title": "   "}, "title_required"),
        ({"title": "长" * 101}, "title_too_long"),
        ({"body": ""}, "body_required"),
        ({"body": " \n "}, "body_required"),
    ],
)
def test_send_refuses_an_empty_title_or_body(person, kwargs, code):
    with pytest.raises(DomainError) as caught:
        send(person, **kwargs)
    assert caught.value.code == code
    assert SiteMessage.objects.count() == 0


def test_a_title_of_100_characters_is_allowed(person):
    assert len(send(person, title="长" * 100).title) == 100


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/",
        "http://evil.example",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,hi",
        "subsidy/cases/12/",
        "/subsidy/cases/12/\nSet-Cookie: x=1",
        "/subsidy/ cases/",
        "/\x00evil",
        "/subsidy/cases/12/<script>",
        "/" + "a" * 200,
    ],
)
def test_send_refuses_a_link_outside_the_hall(person, link):
    with pytest.raises(DomainError) as caught:
        send(person, link=link)
    assert caught.value.code == "link_invalid"
    assert caught.value.fields == ("link",)
    assert SiteMessage.objects.count() == 0


@pytest.mark.parametrize(
    "link", ["/", "/subsidy/cases/12/", "/notices/?kind=publicity&page=2", "/center/#cases", ""]
)
def test_send_accepts_paths_inside_the_hall(person, link):
    assert send(person, link=link).link == link


def test_send_refuses_personal_numbers_and_staff(person, school_reviewer):
    with pytest.raises(ValueError):
        send(person, body="您的手机号码13800000001已更换。")
    with pytest.raises(ValueError):
        send(person, body="证件号码320102200403150038。")
    with pytest.raises(ValueError):
        send(school_reviewer)
    assert SiteMessage.objects.count() == 0


def test_body_is_encrypted_at_rest(person):
    message = send(person, body=REFUSED_BODY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, body FROM messaging_sitemessage WHERE id = %s", [message.pk])
        title, stored = cursor.fetchone()
    assert title == "申请已提交"
    assert stored and stored != REFUSED_BODY
    assert "未通过" not in stored and "2026061512345678" not in stored
    assert SiteMessage.objects.get(pk=message.pk).body == REFUSED_BODY


def test_read_sets_read_at_once(person):
    message = send(person)
    services.site_message_read(user=person, message=message)
    first = message.read_at
    assert first is not None
    assert SiteMessage.objects.get(pk=message.pk).read_at == first
    services.site_message_read(user=person, message=message)
    stale = SiteMessage.objects.get(pk=message.pk)
    stale.read_at = None  # a copy loaded before another tab read it
    services.site_message_read(user=person, message=stale)
    assert stale.read_at == first
    assert SiteMessage.objects.get(pk=message.pk).read_at == first


def test_another_person_cannot_mark_a_message_read(person, other_person):
    message = send(person)
    with pytest.raises(DomainError) as caught:
        services.site_message_read(user=other_person, message=message)
    assert caught.value.code == "not_found"
    assert SiteMessage.objects.get(pk=message.pk).read_at is None


def test_read_all_marks_only_the_persons_unread_messages(person, other_person):
    read = send(person, title="已读的")
    services.site_message_read(user=person, message=read)
    first_read_at = read.read_at
    send(person, title="一")
    send(person, title="二")
    others = send(other_person)
    assert services.site_messages_read_all(user=person) == 2
    assert selectors.unread_count(person) == 0
    assert SiteMessage.objects.get(pk=read.pk).read_at == first_read_at
    assert SiteMessage.objects.get(pk=others.pk).read_at is None
    assert services.site_messages_read_all(user=person) == 0


# --- Selectors ----------------------------------------------------------------------------


def test_list_is_newest_first_and_only_the_persons(person, other_person):
    old = send(person, title="旧")
    SiteMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))
    new = send(person, title="新")
    send(other_person, title="别人的")
    assert list(selectors.site_message_list_for(person)) == [new, old]


def test_get_for_refuses_another_persons_message(person, other_person):
    message = send(person)
    assert selectors.site_message_get_for(person, message.pk) == message
    with pytest.raises(SiteMessage.DoesNotExist):
        selectors.site_message_get_for(other_person, message.pk)


def test_unread_count(person, other_person):
    assert selectors.unread_count(AnonymousUser()) == 0
    assert selectors.unread_count(person) == 0
    first = send(person)
    send(person)
    send(other_person)
    assert selectors.unread_count(person) == 2
    services.site_message_read(user=person, message=first)
    assert selectors.unread_count(person) == 1


# --- Context processor --------------------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_context_processor_counts_in_one_query(person, django_assert_num_queries):
    send(person)
    send(person)
    with django_assert_num_queries(1):
        assert inbox_context(_request(person)) == {"unread_messages": 2}


def test_context_processor_is_zero_without_a_query_for_visitors_and_staff(
    school_reviewer, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert inbox_context(_request(AnonymousUser())) == {"unread_messages": 0}
        assert inbox_context(_request(school_reviewer)) == {"unread_messages": 0}


@pytest.fixture
def with_inbox_context(settings):
    """The context processor wired the way settings will wire it."""
    templates = [dict(engine, OPTIONS=dict(engine["OPTIONS"])) for engine in settings.TEMPLATES]
    processors = list(templates[0]["OPTIONS"]["context_processors"])
    if "servicehall.messaging.context_processors.inbox" not in processors:
        processors.append("servicehall.messaging.context_processors.inbox")
    templates[0]["OPTIONS"]["context_processors"] = processors
    settings.TEMPLATES = templates


def test_unread_count_in_every_pages_context(client, person, with_inbox_context):
    send(person)
    send(person)
    assert client.get(reverse("portal:home")).context["unread_messages"] == 0
    client.force_login(person)
    assert client.get(reverse("portal:home")).context["unread_messages"] == 2
    message = SiteMessage.objects.filter(user=person).first()
    client.get(reverse("messaging:inbox_message", args=[message.pk]))
    assert client.get(INBOX).context["unread_messages"] == 1


# --- Pages --------------------------------------------------------------------------------


def test_url_names():
    assert reverse("messaging:inbox") == INBOX
    assert reverse("messaging:inbox_message", args=[7]) == "/messaging/inbox/7/"
    assert reverse("messaging:inbox_read_all") == "/messaging/inbox/read-all/"


def test_inbox_asks_to_log_in_and_sends_staff_to_their_workbench(client, school_reviewer):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    client.force_login(school_reviewer)
    assert client.get(INBOX).url == reverse("accounts:staff_home")
    assert client.post(reverse("messaging:inbox_read_all")).url == reverse("accounts:staff_home")


def test_empty_inbox(client, person):
    client.force_login(person)
    response = client.get(INBOX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>我的消息 - 江苏人社网上办事服务大厅</title>" in html
    assert html.count("<h1") == 1 and "我的消息</h1>" in html
    assert "暂无消息。" in html
    assert "全部标为已读" not in html
    assert "private" in response.headers["Cache-Control"]


def test_inbox_lists_messages_and_marks_the_unread(client, person, other_person):
    read = send(person, title="已读的消息")
    services.site_message_read(user=person, message=read)
    unread = send(person, title="未读的消息")
    send(other_person, title="别人的消息")
    client.force_login(person)
    html = client.get(INBOX).content.decode()
    assert "别人的消息" not in html
    assert "共 2 条消息，其中 1 条未读。" in html
    detail = reverse("messaging:inbox_message", args=[unread.pk])
    assert (
        f'<strong><a href="{detail}">未读的消息<span class="visually-hidden">（未读）</span></a></strong>'
        in html
    )
    assert f'<a href="{reverse("messaging:inbox_message", args=[read.pk])}">已读的消息</a>' in html
    assert html.count('<span class="tag tag--pending">未读</span>') == 1
    assert html.count('<span class="tag tag--muted">已读</span>') == 1
    assert html.index("未读的消息") < html.index("已读的消息")
    assert timezone.localtime(unread.created_at).strftime("%Y-%m-%d %H:%M") in html
    assert "全部标为已读" in html and 'action="/messaging/inbox/read-all/"' in html
    assert "csrfmiddlewaretoken" in html
    assert "<script>" not in html.split("</head>")[1]
    assert "style=" not in html


def test_inbox_pages_by_twenty(client, person):
    now = timezone.now()
    SiteMessage.objects.bulk_create(
        [
            SiteMessage(user=person, title=f"第{i}条消息", body="内容", created_at=now + timedelta(minutes=i))
            for i in range(45)
        ]
    )
    client.force_login(person)
    first = client.get(INBOX).content.decode()
    titles = re.findall(r"第(\d+)条消息", first)
    assert titles == [str(i) for i in range(44, 24, -1)]
    assert "第 1 页，共 3 页" in first and "?page=2" in first
    third = client.get(INBOX, {"page": 3})
    titles = re.findall(r"第(\d+)条消息", third.content.decode())
    assert titles == [str(i) for i in range(4, -1, -1)]
    assert "我的消息 - 第3页" in third.content.decode()
    assert client.get(INBOX, {"page": "x"}).context["page"].number == 1
    assert client.get(INBOX, {"page": 99}).context["page"].number == 3


def test_opening_a_message_shows_it_and_marks_it_read(client, person):
    message = send(person, title="申请未通过审核", body=REFUSED_BODY, link=CASE_LINK)
    client.force_login(person)
    response = client.get(reverse("messaging:inbox_message", args=[message.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>申请未通过审核 - 我的消息 - 江苏人社网上办事服务大厅</title>" in html
    assert html.count("<h1") == 1 and "<h1>申请未通过审核</h1>" in html
    assert "<p>您的求职创业补贴申请（2026061512345678）未通过审核。</p>" in html
    assert "<p>原因：毕业年度不符合申报条件。</p>" in html
    assert f'<a class="button" href="{CASE_LINK}">查看办件</a>' in html
    assert timezone.localtime(message.created_at).strftime("%Y-%m-%d %H:%M") in html
    assert "private" in response.headers["Cache-Control"]
    assert SiteMessage.objects.get(pk=message.pk).read_at is not None
    listing = client.get(INBOX).content.decode()
    assert "tag--pending" not in listing and "全部标为已读" not in listing


def test_a_message_without_a_link_has_no_button(client, person):
    message = send(person)
    client.force_login(person)
    html = client.get(reverse("messaging:inbox_message", args=[message.pk])).content.decode()
    assert "查看办件" not in html


def test_a_bad_link_stored_by_other_means_is_never_a_button(client, person):
    message = send(person, link=CASE_LINK)
    SiteMessage.objects.filter(pk=message.pk).update(link="//evil.example/")
    client.force_login(person)
    html = client.get(reverse("messaging:inbox_message", args=[message.pk])).content.decode()
    assert "evil.example" not in html and "查看办件" not in html


def test_another_persons_message_is_not_found(client, person, other_person):
    message = send(person)
    client.force_login(other_person)
    assert client.get(reverse("messaging:inbox_message", args=[message.pk])).status_code == 404
    assert client.get(reverse("messaging:inbox_message", args=[message.pk + 1000])).status_code == 404
    assert SiteMessage.objects.get(pk=message.pk).read_at is None


def test_read_all_button(client, person, other_person):
    send(person)
    send(person)
    others = send(other_person)
    client.force_login(person)
    assert client.get(reverse("messaging:inbox_read_all")).status_code == 405
    response = client.post(reverse("messaging:inbox_read_all"), follow=True)
    assert response.redirect_chain == [(INBOX, 302)]
    html = response.content.decode()
    assert "已将2条消息标为已读。" in html
    assert "共 2 条消息，其中 0 条未读。" in html and "tag--pending" not in html
    assert SiteMessage.objects.get(pk=others.pk).read_at is None
    again = client.post(reverse("messaging:inbox_read_all"), follow=True).content.decode()
    assert "没有未读消息。" in again


def test_read_all_needs_the_csrf_token(person):
    from django.test import Client

    send(person)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(reverse("messaging:inbox_read_all")).status_code == 403
    assert selectors.unread_count(person) == 1


def test_the_header_counts_the_unread_on_every_page_and_at_once_when_one_is_read(client, person):
    """The person is loaded with the header's count (accounts.backends): the page that reads a
    message already shows one fewer."""
    message = send(person, title="未读的消息")
    client.force_login(person)
    assert "我的消息（1条未读）" in client.get(reverse("portal:center")).content.decode()
    opened = client.get(reverse("messaging:inbox_message", args=[message.pk])).content.decode()
    assert "未读的消息" in opened and "条未读" not in opened
    send(person, title="又一条消息")
    assert "我的消息（1条未读）" in client.get(reverse("portal:center")).content.decode()
