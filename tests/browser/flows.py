"""What a person does in Flasky, as Playwright steps, shared by the browser tests.

Each step acts through the page the way a person would (labels, buttons,
the navbar) so that the tests fail when the interface stops being usable.
"""

import re
from typing import TYPE_CHECKING

from tests.browser.harness import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "correct-horse-7"


def navbar(page: "Page"):
    return page.get_by_role("navigation", name="Main navigation")


def fill_form(page: "Page", fields: dict[str, str]) -> None:
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)


def register(page: "Page", email: str, username: str, password: str = PASSWORD) -> None:
    page.goto("/auth/register")
    fill_form(page, {"Email": email, "Username": username, "Password": password,
                     "Confirm password": password})
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name=f"Hello, {username}!")).to_be_visible()


def log_in(page: "Page", email: str, password: str = PASSWORD) -> None:
    page.goto("/auth/login")
    fill_form(page, {"Email": email, "Password": password})
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)
    page.wait_for_load_state()  # the navbar's script is ready too


def open_menu(page: "Page") -> None:
    """Open the collapsed navbar on a narrow window, when it is collapsed."""
    page.wait_for_load_state()
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        # "show" comes when the opening animation is over and links can be clicked.
        expect(page.locator("#navbar-menu")).to_have_class(re.compile(r"\bshow\b"))


def open_user_menu(page: "Page") -> None:
    open_menu(page)
    toggle = page.locator("#user-menu")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def log_out(page: "Page") -> None:
    open_user_menu(page)
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()


def search_from_navbar(page: "Page", query: str) -> None:
    """Type ``query`` into the navbar's search box (opening the collapsed menu on a
    phone) and send it with Enter, as a person would."""
    open_menu(page)
    box = navbar(page).get_by_role("searchbox", name="Search posts, comments and people")
    box.fill(query)
    box.press("Enter")
    expect(page.get_by_role("heading", name="Search")).to_be_visible()
