"""Private messages, walked in a real browser: Mia writes to Noah from his profile, Noah sees
the count by "Messages" in the header and the conversation in his inbox, reads it and replies;
Olly, who is not in the conversation, gets "not found" at its address (the same page as for
one that never existed) and finds nothing of it in search. axe-core checks each messages page
(zero violations).

Independent of the other journeys: the three members join here.
"""

import urllib.error
import urllib.request

from selenium.webdriver.common.by import By

from conftest import BASE_URL, PHONE, Browser, describe, join
from test_1_journeys import browsers  # noqa: F401  (the fixture that closes each journey's browsers)


def clean(browser: Browser, page: str) -> None:
    violations = browser.axe()
    assert not violations, f"axe on {page} ({browser.path}):\n" + describe(violations)


def header_count(browser: Browser) -> str:
    links = [a for a in browser.all("header a, nav a") if (a.get_attribute("href") or "").endswith("/messages")]
    assert links, "no Messages link in the header"
    counts = links[0].find_elements(By.CSS_SELECTOR, ".nav-count")
    return counts[0].text.split()[0] if counts else ""


def test_a_member_writes_from_a_profile_the_other_replies_and_a_third_sees_nothing(browsers, world):
    run = world["run"]
    mia, noah, olly = f"mia{run}", f"noah{run}", f"olly{run}"
    a = browsers("20-messages")
    join(a, f"Mia Moss {run}", f"{mia}@example.org", mia, "Oakfield Primary")
    b = browsers("20-messages", width=PHONE)
    join(b, f"Noah North {run}", f"{noah}@example.org", noah, "Riverside Primary")
    c = browsers("20-messages")
    join(c, f"Olly Oak {run}", f"{olly}@example.org", olly, "Hillside Primary")

    # Mia starts a conversation from Noah's profile.
    a.go(f"/members/{noah}")
    a.navigate_by(a.find("main a[href^='/messages/new']"))
    assert a.path.startswith("/messages/new")
    assert a.find("#field-to").get_attribute("value") == noah
    a.shot("composer-from-profile")
    clean(a, "the composer")
    a.submit("/messages/new", subject="Visit on Tuesday", body=f"Could Year 4 visit your forest school (quetzal{run})?")
    conversation = a.path.split("#")[0].split("?")[0]
    assert conversation.startswith("/messages/") and conversation.rsplit("/", 1)[1].isdigit(), a.path
    assert f"quetzal{run}" in a.main_text()
    a.shot("sent")
    clean(a, "the conversation")

    # Noah: the count by "Messages" in the header, the conversation in the inbox.
    b.go("/")
    assert header_count(b) == "1"
    b.shot("count-in-header")
    b.go("/messages")
    row = b.find("li.conversation.has-unread")
    assert "Visit on Tuesday" in row.text and "1 new" in row.text
    b.shot("inbox-unread")
    clean(b, "the inbox")
    b.navigate_by(row.find_element(By.CSS_SELECTOR, "h2 a"))
    assert b.path.split("#")[0] == conversation
    assert f"quetzal{run}" in b.main_text()
    b.submit(conversation, body="Yes, Tuesday at ten works for us.")
    assert "Tuesday at ten works" in b.main_text()
    assert header_count(b) == ""
    b.shot("replied")
    clean(b, "the conversation after replying")

    # Mia sees the reply counted.
    a.go("/messages")
    assert header_count(a) == "1"
    assert "Tuesday at ten works" in a.find("li.conversation").text
    a.shot("reply-in-inbox")
    a.go("/messages/settings")
    a.shot("notification-settings")
    clean(a, "the message notification settings")
    a.go("/messages/blocked")
    clean(a, "the blocked members page")

    # Olly: not found at the conversation's address, like an id that never existed; nothing in search.
    c.go(conversation)
    assert "not found" in c.text.lower() or "404" in c.text
    assert f"quetzal{run}" not in c.driver.page_source and "Visit on Tuesday" not in c.driver.page_source
    c.shot("third-member-not-found")
    missing = c.main_text()
    c.go("/messages/999999999")
    assert c.main_text() == missing, "a conversation one is not in must read like one that never was"
    c.go(f"/search?q=quetzal{run}")
    page = c.driver.page_source
    assert "Visit on Tuesday" not in page and "/messages/m/" not in page and f"Mia Moss {run}" not in page
    c.shot("third-member-search")
    b.go(f"/search?q=quetzal{run}")
    assert "Visit on Tuesday" in b.main_text()
    b.shot("participant-search")

    # And the status code is 404 for Olly, for Noah it is 200 (the real HTTP answers).
    for browser, expected in ((c, 404), (b, 200)):
        jar = "; ".join(f"{k['name']}={k['value']}" for k in browser.driver.get_cookies())
        request = urllib.request.Request(BASE_URL + conversation, headers={"Cookie": jar})
        try:
            status = urllib.request.urlopen(request, timeout=10).status
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == expected, (browser.journey, status)
