"""The site's own part of the initial content (the home page first; the information pages after
the conditions section, which comes first in the menu)."""

from wagtail import hooks

from clinic.initial_content import load_home_page, load_standard_pages

hooks.register("load_initial_content", load_home_page, order=0)
hooks.register("load_initial_content", load_standard_pages, order=15)
