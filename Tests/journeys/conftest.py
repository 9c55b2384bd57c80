"""Shared helpers for PLN's real-browser journeys.

The runner (run.sh) starts a server, or uses the servers at PLN_JOURNEY_BASE (several behind
nginx: scripts/three-servers.sh), and sets PLN_BASE_URL, PLN_ADMIN_LOGIN and
PLN_ADMIN_PASSWORD. Each journey drives headless Debian Chromium through Selenium and saves
numbered screenshots under screenshots/<journey>/ so a person can see what it saw.
"""

import json
import os
import re
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ.get("PLN_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
ADMIN_LOGIN = os.environ.get("PLN_ADMIN_LOGIN", "admin")
ADMIN_PASSWORD = os.environ.get("PLN_ADMIN_PASSWORD", "")
SHOTS = Path(os.environ.get("PLN_SCREENSHOTS", Path(__file__).parent / "screenshots"))
PASSWORD = "a long journey password"
PHONE, DESKTOP = 390, 1280
_STEPS: dict[str, int] = {}


def _axe_source() -> str:
    """axe-core as shipped inside the selenium-axe-python wheel (no network needed)."""
    import selenium_axe_python

    path = Path(selenium_axe_python.__file__).parent / "axe-core" / "axe.min.js"
    return path.read_text(encoding="utf-8")


class Browser:
    """One headless Chromium window with the few verbs a journey needs."""

    def __init__(self, journey: str, width: int = DESKTOP, javascript: bool = True):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--lang=en-GB", "--hide-scrollbars", "--force-device-scale-factor=1",
                         f"--window-size={width},900"):
            options.add_argument(argument)
        if not javascript:
            options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(30)
        self.width = width
        self.journey = journey
        self.folder = SHOTS / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        if journey not in _STEPS:
            # A journey's folder holds this run's pictures only; its browsers share the numbering.
            for old in self.folder.glob("*.png"):
                old.unlink()
            _STEPS[journey] = 0

    # Navigation -------------------------------------------------------------------------

    def go(self, path: str) -> "Browser":
        self.driver.get(BASE_URL + path)
        return self

    @property
    def path(self) -> str:
        return self.driver.current_url[len(BASE_URL):]

    @property
    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def main_text(self) -> str:
        return self.driver.find_element(By.ID, "main").text

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def link(self, text: str):
        return self.driver.find_element(By.PARTIAL_LINK_TEXT, text)

    def follow(self, text: str) -> "Browser":
        return self.navigate_by(self.link(text))

    def navigate_by(self, element) -> "Browser":
        """Clicks a link and waits for the page it leads to."""
        token = self.mark_document()
        element.click()
        WebDriverWait(self.driver, 15).until(lambda _: self.document_replaced(token))
        return self

    # Forms ------------------------------------------------------------------------------

    def form(self, action: str):
        """The first form whose action ends with `action` (a path, or a regular expression)."""
        for form in self.all("form"):
            target = self.action_of(form)
            if target == action or re.fullmatch(action, target):
                return form
        raise AssertionError(f"no form posting to {action} on {self.path}; forms: "
                             + ", ".join(self.action_of(f) for f in self.all("form")))

    @staticmethod
    def action_of(form) -> str:
        # The attribute, not the property: a control named "action" shadows form.action.
        action = form.get_dom_attribute("action") or ""
        return action[len(BASE_URL):] if action.startswith(BASE_URL) else action

    def fill(self, form, **fields) -> None:
        for name, value in fields.items():
            element = form.find_element(By.CSS_SELECTOR, f"[name='{name.replace('__', '-')}']")
            kind = (element.get_attribute("type") or element.tag_name).lower()
            if element.tag_name == "select":
                options = element.find_elements(By.TAG_NAME, "option")
                chosen = [o for o in options if o.get_attribute("value") == value] or [
                    o for o in options if o.text.strip().startswith(value)]
                assert chosen, f"no option {value!r} in {name}"
                chosen[0].click()
            elif kind == "checkbox":
                if bool(value) != element.is_selected():
                    element.click()
            elif kind in ("datetime-local", "date", "time"):
                # Typing into these depends on the locale's field order; set the value directly.
                self.driver.execute_script("arguments[0].value = arguments[1]", element, value)
            else:
                element.clear()
                element.send_keys(value)

    def submit(self, action: str, /, button: str | None = None, **fields) -> "Browser":
        form = self.form(action)
        self.fill(form, **fields)
        buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit], input[type=submit]")
        if button is not None:
            buttons = [b for b in buttons if button in (b.text or b.get_attribute("value") or "")]
        assert buttons, f"no submit button {button!r} in the form posting to {action}"
        confirm = form.get_dom_attribute("data-confirm") if self.javascript_enabled() else None
        token = self.mark_document()
        buttons[0].click()
        if confirm:
            WebDriverWait(self.driver, 5).until(expected_conditions.alert_is_present())
            alert = self.driver.switch_to.alert
            assert alert.text == confirm
            alert.accept()
        WebDriverWait(self.driver, 15).until(lambda _: self.document_replaced(token))
        return self

    def mark_document(self) -> str:
        """Tags the current document so that a wait can tell when a new one has loaded."""
        token = uuid.uuid4().hex
        self.driver.execute_script("window.__plnDocument = arguments[0]", token)
        return token

    def document_replaced(self, token: str) -> bool:
        # Selenium's staleness_of polls the old <html> element; mid-navigation Chrome can answer
        # "Node with given id does not belong to the document" instead of a stale-element error.
        # A token on the old window object is gone once the new document exists.
        try:
            return bool(self.driver.execute_script(
                "return window.__plnDocument !== arguments[0] && document.readyState !== 'loading'",
                token))
        except WebDriverException:
            return False

    def javascript_enabled(self) -> bool:
        # WebDriver's own scripts run even when pages' scripts are off; pln.js marks <html>.
        return "js" in (self.find("html").get_dom_attribute("class") or "").split()

    def errors(self) -> list[str]:
        return [e.text for e in self.all(".field-error, .errors li, [role=alert] li")]

    # Evidence ---------------------------------------------------------------------------

    def shot(self, name: str) -> Path:
        """A full-page PNG: screenshots/<journey>/NN-name.png."""
        _STEPS[self.journey] += 1
        path = self.folder / f"{_STEPS[self.journey]:02d}-{name}.png"
        height = self.driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        self.driver.set_window_size(self.width, min(max(int(height) + 140, 600), 6000))
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(self.width, 900)
        return path

    def axe(self) -> list[dict]:
        """Runs axe-core on the current page; returns its violations (empty is the goal)."""
        self.driver.execute_script(_axe_source())
        self.driver.set_script_timeout(60)
        result = self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(function (r) { done(r.violations); }, function (e) { done([{id: 'axe-error', help: String(e), nodes: []}]); });")
        return result

    def close(self) -> None:
        self.driver.quit()

    # Members ----------------------------------------------------------------------------

    def sign_in(self, login: str, password: str = PASSWORD) -> "Browser":
        self.go("/sign-in")
        self.submit("/sign-in", login=login, password=password)
        assert "/sign-in" not in self.path, f"sign-in failed for {login}: {self.errors()}"
        return self

    def sign_out(self) -> "Browser":
        self.submit("/sign-out")
        return self


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:5]
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')} -> {targets}")
    return "\n".join(lines)


def mailed_link(email: str, prefix: str) -> str:
    """The path of the newest link starting with `prefix` mailed to `email`, read from the
    outbox with `pln admin outbox list --json` (run.sh sets PLN_BIN and PLN_CONFIG)."""
    command = [os.environ.get("PLN_BIN", "pln"), "admin", "outbox", "list", "--json", "--limit", "500"]
    if os.environ.get("PLN_CONFIG"):
        command += ["--config", os.environ["PLN_CONFIG"]]
    messages = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    for message in messages:
        if message["to"] == email.lower() and prefix in message["body"]:
            return re.search(re.escape(prefix) + r"\S+", message["body"]).group(0)
    raise AssertionError(f"no {prefix} link was mailed to {email}")


def finish_joining(browser: Browser, email: str) -> None:
    """Joining asks the address to be confirmed: open the mailed link and finish."""
    assert browser.path.startswith("/join/sent"), f"joining failed: {browser.errors()}"
    assert "Check your mail" in browser.main_text()
    link = mailed_link(email, "/join/confirm/")
    browser.go(link)
    browser.submit(link)
    assert "/join" not in browser.path, f"finishing joining failed: {browser.errors()}"


def join(browser: Browser, name: str, email: str, handle: str, school: str) -> None:
    browser.go("/join")
    browser.submit("/join", name=name, email=email, password=PASSWORD, handle=handle,
                   answer__school=school, terms=True)
    finish_joining(browser, email)


def wait_until(predicate, timeout: float = 10, message: str = "condition") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise TimeoutException(message)


@pytest.fixture(scope="session")
def run_id() -> str:
    """A suffix so a rerun against the same database does not collide with earlier members."""
    return str(int(time.time()) % 100000)


@pytest.fixture(scope="session")
def world(run_id):
    """What the journeys share as they run in order: the members they made, and their ids."""
    return {"run": run_id}


__all__ = ["Browser", "describe", "finish_joining", "join", "mailed_link", "wait_until", "json", "NoAlertPresentException"]
