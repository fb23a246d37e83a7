"""A September morning, as locust plays it: graduating students log in by password and read
the home page, search for 求职创业补贴, read its guide, open the application form, save a
draft, and look at 办理中 and 我的. Each simulated student has an account of their own
(load_september.py makes them: mobile 187 followed by the person's number, LOAD_PASSWORD) with
a card, and waits one to three seconds between clicks, as a person reading does.

No Django here: locust runs in its own process against the hall served by granian.
Run through bench/load_september.py, which prepares the accounts and serves the hall."""

import itertools
import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Load#Pass2026")
PEOPLE = int(os.environ.get("LOAD_PEOPLE", "200"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_numbers = itertools.count()


def mobile_of(number: int) -> str:
    return f"187{number:08d}"


class Student(HttpUser):
    wait_time = between(1, 3)

    def _form_token(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            found = CSRF.search(response.text)
            if not found:
                response.failure("no form on the page")
                return ""
            return found.group(1)

    def on_start(self):
        number = next(_numbers) % PEOPLE
        token = self._form_token("/accounts/login/", "login page")
        with self.client.post(
            "/accounts/login/",
            {"identifier": mobile_of(number), "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="log in",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure("still on the login page")

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(2)
    def search(self):
        self.client.get("/search/", params={"q": "求职创业补贴"}, name="search")

    @task(2)
    def guide(self):
        self.client.get("/services/job-seeking-subsidy/", name="guide")

    @task(3)
    def form(self):
        with self.client.get("/subsidy/apply/", name="form", catch_response=True) as response:
            if "保存草稿" not in response.text:  # the button of the form
                response.failure("the form is not offered")

    @task(2)
    def save_draft(self):
        token = self._form_token("/subsidy/apply/", "form")
        fields = {
            "csrfmiddlewaretoken": token,
            "action": "save_draft",
            "student_number": "221250001",
            "department": "计算机科学与技术学院",
            "major": "软件工程",
        }
        with self.client.post("/subsidy/apply/", fields, name="save draft", catch_response=True) as response:
            if "草稿已保存" not in response.text:
                response.failure("the draft was not saved")

    @task(2)
    def in_progress(self):
        self.client.get("/center/in-progress/", name="in progress")

    @task(1)
    def mine(self):
        self.client.get("/my/", name="mine")
