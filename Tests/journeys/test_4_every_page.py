"""Every page of the site as a visitor, a member, a moderator and an administrator, on a desktop
(1280×900) and a phone (390×844): axe-core finds zero violations, and each page is saved as
screenshots/<role>-<width>/<page>.png for a person to look at (these folders are committed).

Runs after the journeys (file order): the blog post, group, discussion, CPD session and
moderation case they made exist. The moderator is made here (`pln admin members create`, then
`promote`), and each signed-in role writes one message so that it has a conversation to show.
"""

import os
import subprocess

import pytest
from selenium.webdriver.common.by import By

from conftest import ADMIN_LOGIN, ADMIN_PASSWORD, PASSWORD, Browser, describe, wait_until

WIDTHS = {1280: 900, 390: 844}
ROLES = ["visitor", "member", "moderator", "administrator"]
SIGNED_IN = ROLES[1:]
STAFF = ["moderator", "administrator"]

# (page, path or @world key, the roles that see it). Visitors get only the pages open to them.
PAGES = [
    ("home", "/", ROLES),
    ("activity", "/activity", ROLES),
    ("members", "/members", SIGNED_IN),
    # A visitor is asked to sign in, and told why (profiles are for members).
    ("profile", "@alice_profile", ROLES),
    ("groups", "/groups", ROLES),
    ("group", "@group_path", ROLES),
    ("discussion", "@discussion_path", ROLES),
    ("blog", "/blog", ROLES),
    ("post", "@post_path", ROLES),
    ("cpd-sessions", "/cpd", ROLES),
    ("cpd-session", "@session_path", ROLES),
    ("search", "/search?q=maths", ROLES),
    ("report", "/report", ROLES),
    ("sign-in", "/sign-in", ["visitor"]),
    ("join", "/join", ["visitor"]),
    ("new-post-preview", "/blog/new", SIGNED_IN),
    # The other Markdown editors: a group's description, a CPD session's description.
    ("new-group", "/groups/new", ["administrator"]),
    ("offer-session", "/cpd/sessions/new", SIGNED_IN),
    ("cpd-bookings", "/cpd/bookings", SIGNED_IN),
    ("cpd-record", "/cpd/record", SIGNED_IN),
    ("notifications", "/notifications", SIGNED_IN),
    ("messages", "/messages", SIGNED_IN),
    ("conversation", "@conversation", SIGNED_IN),
    ("settings-account", "/account", SIGNED_IN),
    ("settings-profile", "/profile/edit", SIGNED_IN),
    ("settings-notifications", "/notifications/settings", SIGNED_IN),
    ("settings-messages", "/messages/settings", SIGNED_IN),
    ("moderation", "/moderation", STAFF),
    ("admin", "/admin", STAFF),
    ("admin-members", "/admin/members", STAFF),
    ("admin-modules", "/admin/modules", ["administrator"]),
    ("admin-settings", "/admin/settings", ["administrator"]),
    ("admin-style", "/admin/style", ["administrator"]),
]

CASES = [(role, width, page, path) for role in ROLES for width in WIDTHS for page, path, roles in PAGES
         if role in roles]


def pln(*arguments: str) -> None:
    command = [os.environ.get("PLN_BIN", "pln"), "admin", *arguments]
    if os.environ.get("PLN_CONFIG"):
        command += ["--config", os.environ["PLN_CONFIG"]]
    subprocess.run(command, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def people(world):
    """Who signs in as each role: Bob (member), a moderator made here, the administrator."""
    run = world["run"]
    if "bob" not in world or "alice" not in world:
        pytest.fail("the journeys that make Alice and Bob did not run or failed")
    moderator = f"mo{run}"
    pln("members", "create", "--name", f"Mo Moderator {run}", "--email", f"{moderator}@example.org",
        "--handle", moderator, "--password", PASSWORD)
    pln("members", "promote", moderator, "--role", "moderator")
    return {"member": (world["bob"], PASSWORD), "moderator": (moderator, PASSWORD),
            "administrator": (ADMIN_LOGIN, ADMIN_PASSWORD)}


@pytest.fixture(scope="module")
def browser_for(people, world):
    """One browser per (role, width), signed in once, its screenshot folder <role>-<width>."""
    opened: dict[tuple[str, int], Browser] = {}
    conversations: dict[str, str] = {}

    def get(role: str, width: int) -> Browser:
        key = (role, width)
        if key not in opened:
            browser = Browser(f"{role}-{width}", width=width)
            browser.driver.set_window_size(width, WIDTHS[width])
            if role != "visitor":
                browser.sign_in(*people[role])
                if role not in conversations:
                    conversations[role] = write_a_message(browser, role, world)
                browser.conversation = conversations[role]
            opened[key] = browser
        return opened[key]

    yield get
    for browser in opened.values():
        browser.close()


def write_a_message(browser: Browser, role: str, world: dict) -> str:
    """The role writes to Alice: a conversation of its own to show."""
    browser.go(f"/messages/new?to={world['alice']}")
    browser.submit("/messages/new", subject=f"Cover for Thursday ({role})",
                   body=f"Could you **cover** my Year 4 group on Thursday? ({world['run']})")
    path = browser.path.split("#")[0].split("?")[0]
    assert path.startswith("/messages/") and path.rsplit("/", 1)[1].isdigit(), (role, path, browser.errors())
    return path


def resolve(path: str, browser: Browser, world: dict) -> str:
    if not path.startswith("@"):
        return path
    key = path[1:]
    if key == "alice_profile":
        return f"/members/{world['alice']}"
    if key == "conversation":
        return browser.conversation
    if key not in world:
        pytest.fail(f"the journey that makes {key} did not run or failed")
    return world[key]


def show_the_preview(browser: Browser) -> None:
    """The new post form with its Preview tab open on some written Markdown."""
    browser.fill(browser.form("/blog/new"), title="What worked in our phonics pilot",
                 body="We tried **daily blending** for six weeks.\n\n- Sound buttons\n- Decodable books\n")
    tab = next(t for t in browser.all("[role=tab]") if t.text == "Preview")
    tab.click()
    panel = browser.find("#" + tab.get_attribute("aria-controls"))
    wait_until(lambda: panel.find_elements(By.CSS_SELECTOR, "strong"), message="the preview arrives")


def save(browser: Browser, page: str) -> None:
    """A full-page PNG at screenshots/<role>-<width>/<page>.png."""
    driver = browser.driver
    height = driver.execute_script(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(browser.width, min(max(int(height), WIDTHS[browser.width]), 6000))
    driver.save_screenshot(str(browser.folder / f"{page}.png"))
    driver.set_window_size(browser.width, WIDTHS[browser.width])


@pytest.mark.parametrize("role,width,page,path", CASES,
                         ids=[f"{role}-{width}-{page}" for role, width, page, _ in CASES])
def test_every_page_has_no_axe_violations(browser_for, world, role, width, page, path):
    browser = browser_for(role, width)
    browser.go(resolve(path, browser, world))
    assert "Server error" not in browser.driver.title, browser.path
    if role != "visitor":
        assert not browser.path.startswith("/sign-in"), f"{role} was sent to sign in from {path}"
    if page == "new-post-preview":
        show_the_preview(browser)
    save(browser, page)
    violations = browser.axe()
    assert violations == [], f"{page} as {role} at {width}px ({browser.path}):\n{describe(violations)}"
