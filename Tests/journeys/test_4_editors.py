"""The Markdown editors in a real browser (issue 20): with JavaScript, a formatting toolbar and
Write/Preview tabs (the preview fetched without leaving the page, tabs and toolbar driven by the
keyboard); without it, a Preview button that shows the form again with the preview and saves
nothing, then the same form publishes.

Runs after the journeys (file order): Bob, who joined there, writes.
"""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import Browser, describe, wait_until
from test_1_journeys import browsers  # noqa: F401  (the fixture that closes each journey's browsers)


def test_the_toolbar_and_the_preview_tab_work_with_the_keyboard(browsers, world):
    bob = browsers("30-editors").sign_in(world["bob"])
    bob.go("/blog/new")
    field = bob.find("textarea[name=body]")
    assert field.get_attribute("data-markdown") is not None
    # The no-JavaScript Preview button gives way to the tab.
    assert not bob.find("button.preview-button").is_displayed()
    toolbar = bob.find("[role=toolbar]")
    names = [b.get_attribute("aria-label") or b.text for b in toolbar.find_elements(By.TAG_NAME, "button")]
    assert names == ["Bold", "Italic", "Link", "Bulleted list", "Numbered list", "Quote"], names

    field.send_keys("We tried retrieval")
    bob.driver.execute_script("arguments[0].setSelectionRange(9, 18)", field)
    toolbar.find_element(By.CSS_SELECTOR, "[aria-label=Bold]").click()
    assert field.get_attribute("value") == "We tried **retrieval**", field.get_attribute("value")
    field.send_keys(Keys.END, Keys.ENTER, Keys.ENTER, "Mini whiteboards")
    # Arrow keys move within the toolbar (one tab stop); Enter presses the button.
    first = toolbar.find_element(By.CSS_SELECTOR, "[aria-label=Bold]")
    first.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    focused = bob.driver.switch_to.active_element
    assert focused.get_attribute("aria-label") == "Bulleted list"
    focused.send_keys(Keys.ENTER)
    assert field.get_attribute("value").endswith("\n\n- Mini whiteboards"), field.get_attribute("value")

    tabs = bob.all("[role=tab]")
    assert [t.text for t in tabs] == ["Write", "Preview"]
    assert tabs[0].get_attribute("aria-selected") == "true"
    tabs[0].send_keys(Keys.ARROW_RIGHT)
    assert tabs[1].get_attribute("aria-selected") == "true"
    assert bob.driver.switch_to.active_element == tabs[1]
    panel = bob.find("#" + tabs[1].get_attribute("aria-controls"))
    wait_until(lambda: panel.find_elements(By.CSS_SELECTOR, "strong"), message="the preview arrives")
    assert panel.find_element(By.CSS_SELECTOR, "strong").text == "retrieval"
    assert panel.find_element(By.CSS_SELECTOR, "li").text == "Mini whiteboards"
    assert not field.is_displayed()
    assert "/blog/new" in bob.path, "the preview must not leave the page"
    bob.shot("preview-tab")
    violations = bob.axe()
    assert not violations, describe(violations)
    tabs[1].send_keys(Keys.ARROW_LEFT)
    assert field.is_displayed() and tabs[0].get_attribute("aria-selected") == "true"
    bob.shot("write-tab")

    # The page the no-JavaScript Preview button leads to (the button is hidden here: press it by script).
    bob.fill(bob.form("/blog/new"), title=f"Previewed {world['run']}")
    token = bob.mark_document()
    bob.driver.execute_script("arguments[0].form.requestSubmit(arguments[0])", bob.find("button.preview-button"))
    wait_until(lambda: bob.document_replaced(token), message="the preview page")
    assert bob.find("#preview-field-body strong").text == "retrieval"
    assert "**retrieval**" in bob.find("textarea[name=body]").get_attribute("value")
    bob.shot("preview-button-page")
    violations = bob.axe()
    assert not violations, describe(violations)


def test_the_preview_button_works_without_javascript_and_saves_nothing(browsers, world):
    bob = browsers("30-editors", javascript=False).sign_in(world["bob"])
    title = f"Previewed without JavaScript {world['run']}"
    bob.go("/blog/new")
    assert not bob.all("[role=toolbar]")
    bob.submit("/blog/new", button="Preview", title=title, body="Plain **bold** words")
    preview = bob.find("#preview-field-body")
    assert preview.find_element(By.CSS_SELECTOR, "strong").text == "bold"
    assert bob.find("textarea[name=body]").get_attribute("value") == "Plain **bold** words"
    assert bob.find("#field-title").get_attribute("value") == title
    bob.shot("preview-without-javascript")
    # (axe-core needs page scripts: the JavaScript test checks this page.)
    bob.go("/blog")
    assert title not in bob.main_text(), "a preview must save nothing"
    bob.go("/blog/new")
    bob.submit("/blog/new", button="Publish", title=title, body="Plain **bold** words")
    assert title in bob.text
    assert bob.find("main strong").text == "bold"
