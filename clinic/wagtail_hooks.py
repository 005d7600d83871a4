from wagtail import hooks

from clinic import page_cache


@hooks.register("before_serve_page")
def declare_query_parameters(page, request, serve_args, serve_kwargs):
    """Each page type names the query parameters it reads (`cache_query_parameters`, none unless
    it says so): the page cache files its pages by those alone."""
    page_cache.reads_query_parameters(request, getattr(page, "cache_query_parameters", ()))
