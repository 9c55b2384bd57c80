"""What members do, walked in a real browser, in order: each journey leaves what the next needs.

Alice and Bob join; Alice edits her profile, befriends Bob, posts a status and writes a blog
post that Bob comments on; Bob joins Alice's group and replies to its discussion, books a CPD
session the administrator runs and opens his certificate; Alice reports a comment and the
administrator, as moderator, resolves the report.
"""

import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By

from conftest import ADMIN_LOGIN, ADMIN_PASSWORD, PHONE, Browser, finish_joining, join, wait_until


@pytest.fixture
def browsers():
    opened: list[Browser] = []

    def open_browser(journey: str, **options) -> Browser:
        browser = Browser(journey, **options)
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        browser.close()


def test_join_shows_errors_beside_fields_then_welcomes_the_member(browsers, world):
    run = world["run"]
    alice = browsers("01-join")
    alice.go("/join").shot("join-form")
    # A first try with a short password and no school: errors beside the fields, values kept.
    alice.submit("/join", name=f"Alice Archer {run}", email=f"alice{run}@example.org", password="short",
                  handle=f"alice{run}", terms=True)
    assert alice.path.startswith("/join")
    summary = alice.find("[role=alert]")
    assert summary.is_displayed()
    password = alice.find("#field-password")
    assert password.get_attribute("aria-invalid") == "true"
    described = password.get_attribute("aria-describedby") or ""
    assert any(alice.find(f"#{i}").text for i in described.split() if i.startswith("error")), described
    assert alice.find("#field-name").get_attribute("value") == f"Alice Archer {run}"
    alice.shot("join-errors")
    alice.submit("/join", password="a long journey password", answer__school="Oakfield Primary", terms=True)
    alice.shot("check-your-mail")
    finish_joining(alice, f"alice{run}@example.org")
    assert "/join" not in alice.path
    assert f"Alice Archer {run}" in alice.find(".account").text
    alice.shot("welcome")
    world["alice"] = f"alice{run}"

    bob = browsers("01-join", width=PHONE)
    join(bob, f"Bob Baker {run}", f"bob{run}@example.org", f"bob{run}", "Riverside Primary")
    world["bob"] = f"bob{run}"


def test_sign_in_rejects_a_wrong_password_then_signs_in(browsers, world):
    alice = browsers("02-sign-in")
    alice.go("/sign-in")
    alice.submit("/sign-in", login=world["alice"], password="not the password")
    assert alice.path.startswith("/sign-in")
    assert alice.find("[role=alert]").text
    alice.shot("wrong-password")
    alice.submit("/sign-in", login=world["alice"], password="a long journey password")
    assert "/sign-in" not in alice.path
    alice.shot("signed-in")
    alice.sign_out()
    assert "Sign in" in alice.find(".account").text
    alice.shot("signed-out")


def test_edit_profile_changes_what_others_see(browsers, world):
    alice = browsers("03-edit-profile").sign_in(world["alice"])
    alice.go("/profile/edit").shot("form")
    alice.submit("/profile/edit", bio="I teach Year 4 and lead maths across the trust.",
                 answer__subjects="Maths, computing", answer__role="Teacher")
    alice.shot("saved")
    alice.go(f"/members/{world['alice']}")
    assert "I teach Year 4" in alice.main_text()
    assert "Maths, computing" in alice.main_text()
    alice.shot("profile")


def test_befriend_asks_and_the_other_member_accepts(browsers, world):
    alice = browsers("04-befriend").sign_in(world["alice"])
    alice.go(f"/members/{world['bob']}")
    alice.submit(f"/members/{world['bob']}/friend")
    alice.shot("request-sent")
    bob = browsers("04-befriend", width=PHONE).sign_in(world["bob"])
    bob.go("/friends").shot("request-waiting")
    assert world["alice"] in " ".join(a.get_attribute("href") or "" for a in bob.all("main a"))
    bob.submit(f"/members/{world['alice']}/friend")
    bob.go("/friends")
    bob.shot("friends")
    assert "Alice Archer" in bob.main_text()


def test_post_a_status_appears_on_the_profile_and_in_activity(browsers, world):
    alice = browsers("05-status").sign_in(world["alice"])
    alice.go(f"/members/{world['alice']}")
    text = f"Trying mini whiteboards in every maths lesson this week ({world['run']})."
    form = alice.form("/statuses")
    field = form.find_element(By.CSS_SELECTOR, "textarea, input[type=text]")
    alice.submit("/statuses", **{field.get_attribute("name"): text})
    assert text in alice.main_text()
    alice.shot("posted")
    alice.go("/activity")
    assert text in alice.main_text()
    alice.shot("activity")


def test_write_a_blog_post_and_a_friend_comments(browsers, world):
    alice = browsers("06-blog").sign_in(world["alice"])
    title = f"What worked in our maths mastery pilot {world['run']}"
    alice.go("/blog/new").shot("new-post")
    alice.submit("/blog/new", button="Publish", title=title, tags="maths, mastery",
                 body="We tried **short daily retrieval** for six weeks.\n\n- Mini whiteboards\n- Shared models\n")
    assert title in alice.text
    world["post_path"] = alice.path
    alice.shot("published")

    bob = browsers("06-blog", width=PHONE).sign_in(world["bob"])
    bob.go(world["post_path"])
    comment = f"We saw the same with Year 3, thank you ({world['run']})."
    bob.submit(r"/blog/posts/\d+/comments", body=comment)
    assert comment in bob.main_text()
    bob.shot("commented")
    world["comment"] = comment


def test_join_a_group_and_reply_to_a_discussion(browsers, world):
    alice = browsers("07-group").sign_in(world["alice"])
    name = f"Maths Leads Cluster {world['run']}"
    alice.go("/groups/new")
    alice.submit("/groups/new", name=name, category="Cluster", visibility="public",
                 description="Maths leads from the cluster's schools.")
    assert name in alice.text
    group_path = alice.path
    world["group_path"] = group_path
    alice.go(group_path + "/discussions/new")
    alice.submit(group_path + "/discussions/new", title="Resources for fractions",
                 body="What do you use to teach equivalent fractions in Year 4?")
    discussion_path = alice.path
    world["discussion_path"] = discussion_path
    alice.shot("discussion-started")

    bob = browsers("07-group", width=PHONE).sign_in(world["bob"])
    bob.go(group_path).shot("group-before-joining")
    bob.submit(group_path + "/join")
    bob.shot("joined")
    bob.go(discussion_path)
    reply = f"Fraction walls and folding paper strips work well for us ({world['run']})."
    bob.submit(r".*/replies", body=reply)
    assert reply in bob.main_text()
    bob.shot("replied")


def test_book_a_cpd_session_and_open_the_certificate(browsers, world):
    admin = browsers("08-cpd").sign_in(ADMIN_LOGIN, ADMIN_PASSWORD)
    # Booking closes 0 hours before the start in the journey config, and the register opens
    # at the start: a session 20 seconds away lets the whole story happen in one run.
    starts = datetime.now(timezone.utc) + timedelta(seconds=20)
    title = f"Phonics for new KS1 staff {world['run']}"
    admin.go("/cpd/sessions/new").shot("new-session")
    admin.submit("/cpd/sessions", title=title, description="Daily phonics routines that stick.",
                 starts=starts.strftime("%Y-%m-%dT%H:%M:%S"), time_zone="UTC", duration_minutes="60",
                 venue="Oakfield Primary hall", capacity="12")
    assert title in admin.text, admin.errors()
    session_path = admin.path
    world["session_path"] = session_path
    assert re.fullmatch(r"/cpd/sessions/\d+", session_path), session_path
    admin.shot("session")

    bob = browsers("08-cpd", width=PHONE).sign_in(world["bob"])
    bob.go("/cpd").shot("sessions")
    bob.go(session_path)
    bob.submit(session_path + "/book")
    bob.shot("booked")
    assert "you have a place" in bob.main_text().lower()

    wait_until(lambda: datetime.now(timezone.utc) > starts + timedelta(seconds=1), timeout=40,
               message="the session to start")
    admin.go(session_path + "/register").shot("register")
    register = admin.form(session_path + "/register")
    for box in register.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        if not box.is_selected():
            box.click()
    admin.submit(session_path + "/register")
    admin.shot("register-marked")

    bob.go(session_path)
    bob.follow("ertificate")
    world["certificate_path"] = bob.path
    assert "Bob Baker" in bob.main_text()
    assert title in bob.main_text()
    bob.shot("certificate")
    # Printed, the certificate stands alone: no header, navigation, sidebar or footer.
    bob.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not bob.find(".site-nav").is_displayed()
    assert not bob.find(".site-footer").is_displayed()
    assert bob.find(".certificate").is_displayed()
    bob.shot("certificate-printed")
    bob.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_report_a_comment_and_a_moderator_resolves_it(browsers, world):
    alice = browsers("09-moderation").sign_in(world["alice"])
    alice.go(world["post_path"])
    comment = next(li for li in alice.all(".comment") if world["comment"] in li.text)
    alice.navigate_by(comment.find_element(By.CSS_SELECTOR, "a.report"))
    alice.shot("report-form")
    alice.submit("/report", category="Spam", comment="Testing the report journey.")
    alice.shot("reported")
    assert "report" in alice.main_text().lower()

    admin = browsers("09-moderation").sign_in(ADMIN_LOGIN, ADMIN_PASSWORD)
    admin.go("/moderation").shot("queue")
    admin.follow(world["comment"][:30]) if world["comment"][:30] in admin.main_text() else admin.navigate_by(admin.find(
        "main a[href^='/moderation/cases/']"))
    admin.shot("case")
    case_path = admin.path
    world["case_path"] = case_path
    admin.submit(case_path + "/actions", action="hide", reason="Off-topic advertising; hidden after a report.")
    admin.shot("resolved")
    assert "hid" in admin.main_text().lower(), admin.main_text()[:400]

    # The hidden comment is gone for everyone but its author and the moderators.
    visitor = browsers("09-moderation")
    visitor.go(world["post_path"])
    assert world["comment"] not in visitor.main_text()
    visitor.shot("comment-hidden-for-visitors")


def test_everything_works_without_javascript(browsers, world):
    bob = browsers("10-no-javascript", javascript=False).sign_in(world["bob"])
    assert "js" not in (bob.find("html").get_dom_attribute("class") or "").split()
    bob.go(f"/members/{world['bob']}")
    text = f"Posted with JavaScript turned off ({world['run']})."
    form = bob.form("/statuses")
    field = form.find_element(By.CSS_SELECTOR, "textarea, input[type=text]")
    bob.submit("/statuses", **{field.get_attribute("name"): text})
    assert text in bob.main_text()
    bob.shot("status-posted")
    status = next(li for li in bob.all("main li, main article") if text in li.text)
    delete = status.find_element(By.CSS_SELECTOR, "form[data-confirm]")
    bob.submit(Browser.action_of(delete))
    assert text not in bob.main_text()
    bob.shot("status-deleted-without-confirm-dialog")
