"""What a member of staff sees in the Wagtail admin, read from the pages it sends: the sidebar's
menu (with its submenus) and the dashboard's panels and their links."""

from urllib.parse import urlsplit

from django.urls import reverse

from tests.html import json_script, select, text

REFUSED = "Sorry, you do not have permission"


def refused(response):
    """The admin's answer to a page its user may not open: back to the dashboard, with REFUSED."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def menu(response):
    """The sidebar's menu as (where, label, url): `where` is the submenu's label ("" for the top
    level), `url` None for a submenu. Wagtail 8 renders the menu in the browser from the JSON props
    of the `wagtail-sidebar-props` script (telepath: each item a {"_type", "_args"} pair)."""
    props = json_script(response, "wagtail-sidebar-props")
    module = next(
        module for module in props["modules"] if module["_type"] == "wagtail.sidebar.MainMenuModule"
    )
    return list(_items(module["_args"][0], ""))


def _items(items, where):
    for item in items:
        kind, arguments = item["_type"], item["_args"]
        if kind == "wagtail.sidebar.SubMenuItem":
            yield where, arguments[0]["label"], None
            yield from _items(arguments[1], arguments[0]["label"])
        elif kind in ("wagtail.sidebar.LinkMenuItem", "wagtail.sidebar.PageExplorerMenuItem"):
            yield where, arguments[0]["label"], arguments[0]["url"]


def menu_entries(response):
    """The menu's links on this site as staff name them: "Articles", "Reports › Page feedback"
    (not the Help submenu's links to Wagtail's guide, which change with each release)."""
    return {
        f"{where} › {label}" if where else label
        for where, label, url in menu(response)
        if url and on_this_site(url)
    }


def menu_links(response):
    """Where the menu's links on this site lead (not Wagtail's guide and other sites)."""
    return {url for where, label, url in menu(response) if url and on_this_site(url)}


def on_this_site(url):
    address = urlsplit(url)
    return bool(address.path) and not address.netloc and address.scheme in ("", "http", "https")


def dashboard_panels(response):
    """The headings of the dashboard's panels, without the counts some add in brackets."""
    headings = select(response, "main section.w-panel .w-panel__heading")
    return {text(heading).split(" (")[0] for heading in headings}


def page_links(response):
    """Where the links in a page's main content lead, on this site (not fragments or other sites)."""
    return {anchor["href"] for anchor in select(response, "main a[href]") if on_this_site(anchor["href"])}


def refusal(client, url):
    """Why opening `url` (following redirects, as a browser does) shows staff no page they can use,
    or None when it opens."""
    response = client.get(url, follow=True)
    hops = [url] + [location for location, status in response.redirect_chain]
    if response.status_code >= 400:
        return f"{response.status_code} at {hops[-1]}"
    if REFUSED in response.content.decode():
        return f"'{REFUSED}' after {' → '.join(hops)}"
    return None
