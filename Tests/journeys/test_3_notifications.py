"""Notifications, mentions and likes in a real browser (issue 16).

Nia writes a post; Amir and Ben comment on it (Amir picks a handle from the @mention
autocomplete with the keyboard); Nia's bell shows one grouped notification, she opens the
notifications page; Ben likes the post with the like button, without a reload.
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import ADMIN_LOGIN, Browser, describe, join, wait_until


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


def test_two_comments_make_one_grouped_notification_and_the_like_button_works(browsers, world):
    run = world["run"]
    nia = browsers("20-notifications")
    join(nia, f"Nia Author {run}", f"nia{run}@example.org", f"nia{run}", "Oakfield Primary")
    title = f"Phonics in Year 1 {run}"
    nia.go("/blog/new")
    nia.submit("/blog/new", button="Publish", title=title, body="Blending first, then segmenting.")
    post_path = nia.path
    assert title in nia.text

    amir = browsers("20-notifications")
    join(amir, f"Amir Khan {run}", f"amir{run}@example.org", f"amir{run}", "Riverside Primary")
    amir.go(post_path)
    # The @mention autocomplete: a combobox with a listbox popup, driven by the keyboard.
    field = amir.find("form.comment-form textarea[name=body]")
    assert field.get_attribute("aria-autocomplete") == "list"
    listbox_id = field.get_attribute("aria-controls")
    listbox = amir.find(f"#{listbox_id}")
    assert not listbox.is_displayed()
    field.send_keys("Thanks, I will ask @" + ADMIN_LOGIN[:2])
    wait_until(lambda: listbox.is_displayed(), message="the mention list opens")
    assert listbox.get_attribute("role") == "listbox"
    options = listbox.find_elements(By.CSS_SELECTOR, "[role=option]")
    assert any(f"@{ADMIN_LOGIN}" in option.text for option in options), [o.text for o in options]
    field.send_keys(Keys.ARROW_DOWN)
    active = field.get_attribute("aria-activedescendant")
    assert active and amir.find(f"#{active}").get_attribute("aria-selected") == "true"
    amir.shot("mention-autocomplete")
    violations = amir.axe()
    assert not violations, describe(violations)
    field.send_keys(Keys.ESCAPE)
    assert not listbox.is_displayed()
    assert not field.get_attribute("aria-activedescendant")
    field.send_keys("a")
    wait_until(lambda: listbox.is_displayed(), message="the list opens again")
    field.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    assert field.get_attribute("value").endswith(f"@{ADMIN_LOGIN} "), field.get_attribute("value")
    field.send_keys("about it.")
    amir.navigate_by(amir.find("form.comment-form button[type=submit]"))
    assert f"@{ADMIN_LOGIN}" in amir.main_text()

    ben = browsers("20-notifications")
    join(ben, f"Ben Ode {run}", f"ben{run}@example.org", f"ben{run}", "Hilltop Primary")
    ben.go(post_path)
    # The thread's reply form posts to the same address: use the top-level comment form.
    ben.find("form.comment-form textarea[name=body]").send_keys("We did the same in Reception.")
    ben.navigate_by(ben.find("form.comment-form button[type=submit]"))
    assert "We did the same in Reception." in ben.main_text()

    # The author's bell: one grouped notification for the two comments.
    nia.go("/")
    count = nia.find("[data-bell] [data-unread]")
    assert count.get_attribute("data-unread") == "1", count.get_attribute("data-unread")
    nia.shot("bell")
    nia.navigate_by(nia.find("[data-bell]"))
    assert nia.path.startswith("/notifications")
    items = nia.all(".notification")
    assert len(items) == 1
    assert f"Ben Ode {run} and Amir Khan {run} commented on your post" in items[0].text
    nia.shot("notifications-page")
    violations = nia.axe()
    assert not violations, describe(violations)

    # The like button: liked without a reload, then unliked; the author hears of the like.
    ben.go(post_path)
    like = ben.find(f"form[data-like][action='/likes/blog/blog_post/{post_path.rsplit('/', 1)[-1]}'] button")
    assert like.get_attribute("aria-pressed") == "false"
    token = ben.mark_document()
    like.click()
    wait_until(lambda: like.get_attribute("aria-pressed") == "true", message="the like is shown")
    assert not ben.document_replaced(token), "the like reloaded the page"
    assert like.find_element(By.CSS_SELECTOR, ".count").text == "1"
    assert f"Liked by Ben Ode {run}" in ben.main_text()
    ben.shot("liked")
    violations = ben.axe()
    assert not violations, describe(violations)
    ben.go(post_path)
    assert ben.find(f"form[data-like] button[aria-pressed=true]")
    nia.go("/notifications")
    assert f"Ben Ode {run} liked your blog post" in nia.main_text()
    # Who liked it: a page that works without JavaScript.
    nia.go(post_path)
    nia.navigate_by(nia.link("Liked by"))
    assert f"Ben Ode {run}" in nia.main_text()
    nia.shot("who-liked")
