"""Chinese unless the visitor chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language
browser in a Chinese office would get English pages by surprise; here only an explicit choice
(the language cookie set by the switch) changes the language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# Characters XML 1.0 forbids (C0 controls but tab, newline and return; U+FFFE, U+FFFF). Nobody
# types them; pasted in, they would be stored, then break the Word and PDF renderings (lxml
# refuses them) and PostgreSQL (which refuses NUL in text and in JSON).
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(data: QueryDict) -> QueryDict:
    if not any(NOT_TEXT.search(k) or any(NOT_TEXT.search(v) for v in vs) for k, vs in data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(NOT_TEXT.sub("", key), [NOT_TEXT.sub("", v) for v in values])
    cleaned._mutable = False
    return cleaned


class PlainTextInputMiddleware:
    """Every form field and query parameter arrives without control characters.

    One guard for every form and filter, so no view has to remember it; uploaded files are
    left as they are (their bytes are checked by ``applications.uploads``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _plain(request.GET)
        if request.method == "POST":
            request.POST = _plain(request.POST)
        return self.get_response(request)
