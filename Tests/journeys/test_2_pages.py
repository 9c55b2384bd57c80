"""axe-core on every main page, as a visitor, a member and a moderator, at phone and desktop
widths; each page is also saved as screenshots/pages/<page>-<width>.png for a person to look at.

Runs after the journeys (file order), so the blog post, group, CPD session, certificate and
moderation case they made exist.
"""

import pytest

from conftest import ADMIN_LOGIN, ADMIN_PASSWORD, DESKTOP, PHONE, Browser, describe

# (name, who, path or world key). "who" is visitor, member (Bob) or moderator (the admin).
PAGES = [
    ("home-visitor", "visitor", "/"),
    ("join", "visitor", "/join"),
    ("join-check-mail", "visitor", "/join/sent"),
    ("sign-in", "visitor", "/sign-in"),
    ("terms", "visitor", "/terms"),
    ("blog-post-visitor", "visitor", "@post_path"),
    ("home", "member", "/"),
    ("activity", "member", "/activity"),
    ("members", "member", "/members"),
    ("profile", "member", "@alice_profile"),
    ("profile-edit", "member", "/profile/edit"),
    ("friends", "member", "/friends"),
    ("blog", "member", "/blog"),
    ("blog-post", "member", "@post_path"),
    ("blog-new", "member", "/blog/new"),
    ("groups", "member", "/groups"),
    ("group", "member", "@group_path"),
    ("group-discussion", "member", "@discussion_path"),
    ("cpd-sessions", "member", "/cpd"),
    ("cpd-session", "member", "@session_path"),
    ("cpd-certificate", "member", "@certificate_path"),
    ("cpd-record", "member", "/cpd/record"),
    ("cpd-bookings", "member", "/cpd/bookings"),
    ("report", "member", "/report"),
    ("badges", "member", "/badges"),
    ("account", "member", "/account"),
    ("moderation-queue", "moderator", "/moderation"),
    ("moderation-case", "moderator", "@case_path"),
    ("moderation-audit", "moderator", "/moderation/audit"),
    ("cpd-session-new", "moderator", "/cpd/sessions/new"),
    ("admin-members", "moderator", "/admin/members"),
]


@pytest.fixture(scope="module")
def signed_in(world):
    """One browser per (who, width), signed in once and reused across pages."""
    opened: dict[tuple[str, int], Browser] = {}

    def get(who: str, width: int) -> Browser:
        key = (who, width)
        if key not in opened:
            browser = Browser("pages", width=width)
            if who == "member":
                browser.sign_in(world["bob"])
            elif who == "moderator":
                browser.sign_in(ADMIN_LOGIN, ADMIN_PASSWORD)
            opened[key] = browser
        return opened[key]

    yield get
    for browser in opened.values():
        browser.close()


def resolve(path: str, world: dict) -> str:
    if not path.startswith("@"):
        return path
    key = path[1:]
    if key == "alice_profile":
        return f"/members/{world['alice']}"
    if key not in world:
        pytest.fail(f"the journey that makes {key} did not run or failed")
    return world[key]


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name,who,path", PAGES, ids=[page[0] for page in PAGES])
def test_page_has_no_axe_violations(signed_in, world, name, who, path, width):
    browser = signed_in(who, width)
    browser.go(resolve(path, world))
    assert "Server error" not in browser.driver.title
    shot = browser.shot(f"{name}-{width}")
    shot.replace(shot.with_name(f"{name}-{width}.png"))
    violations = browser.axe()
    assert violations == [], f"{name} at {width}px:\n{describe(violations)}"


def test_form_errors_are_announced_and_tied_to_fields(world):
    browser = Browser("pages")
    try:
        browser.go("/join")
        browser.submit("/join", name="", email="not-an-email", password="short")
        summary = browser.find("[role=alert]")
        assert summary.text
        for field in ("name", "email", "password"):
            element = browser.find(f"#field-{field}")
            assert element.get_attribute("aria-invalid") == "true", field
            ids = (element.get_attribute("aria-describedby") or "").split()
            messages = [browser.find(f"#{i}").text for i in ids]
            assert any(messages), f"{field} has no described error"
        violations = browser.axe()
        assert violations == [], describe(violations)
        browser.shot("join-with-errors")
    finally:
        browser.close()


def test_skip_link_is_first_and_moves_focus_to_main(world):
    from selenium.webdriver.common.keys import Keys

    browser = Browser("pages")
    try:
        browser.go("/")
        browser.find("body").send_keys(Keys.TAB)
        focused = browser.driver.switch_to.active_element
        assert focused.text == "Skip to content"
        assert focused.is_displayed()
        outline = browser.driver.execute_script(
            "return getComputedStyle(arguments[0]).outlineStyle", focused)
        assert outline != "none", "focus must be visible"
        focused.send_keys(Keys.ENTER)
        assert browser.driver.switch_to.active_element.get_attribute("id") == "main"
    finally:
        browser.close()
