"""EMAIL: e-mail addresses (RFC 5322 dot-atom local part, a domain with a letter TLD).

An address alone is not a violation under the default policy (agencies publish theirs);
next to a name in the same record or row it is.  ``z***@example.com`` is masked.
No network: presidio's own EmailRecognizer validates with tldextract, which may fetch
the public suffix list, so it is not used.
"""
from __future__ import annotations

from .recognizer import Pattern, ZhPatternRecognizer, lead

_NB = "[A-Za-z0-9._%+*-]"
_DOMAIN = r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,12}(?![A-Za-z0-9-])"


class EmailRecognizer(ZhPatternRecognizer):
    ENTITY = "EMAIL"
    PATTERNS = [
        Pattern("email", rf"{lead('[A-Za-z0-9]', _NB)}[A-Za-z0-9._%+-]{{0,63}}{_DOMAIN}", 0.85),
        Pattern("email_masked", rf"{lead('[A-Za-z0-9._%+*-]', _NB)}[A-Za-z0-9._%+-]{{0,2}}\*[A-Za-z0-9._%+*-]{{0,6}}{_DOMAIN}", 0.85),
    ]
    REQUIRED = "@"
    CONTEXT = ["邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "邮件"]
