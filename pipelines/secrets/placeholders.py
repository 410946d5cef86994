"""Tells a documentation placeholder (YOUR_API_KEY, AKIA...EXAMPLE, <token>, ${SECRET}, xxxxx,
jwt.io's sample) from a credential. Placeholders are neither counted nor removed; this must never
call a real, random-looking key a placeholder, so it only looks for explicit signs.
"""

from __future__ import annotations

import re

from detect_secrets.filters.heuristic import is_sequential_string, is_templated_secret

_SIGNS = re.compile(
    r"(?i:(?:^|[^a-z0-9])(?:your|example|placeholder|dummy|sample|redacted|changeme|replace|insert"
    r"|fake|xxxx))|EXAMPLE|(.)\1{4,}|\.\.\.|…|[<>{}]|%s|\$\{|^\$[A-Za-z_]"
)
_WORDS = frozenset(
    {"password", "passwd", "pass", "pwd", "secret", "token", "none", "null", "true", "false"}
)
# Published documentation examples that are formally valid (jwt.io's sample token's signature).
_KNOWN_EXAMPLES = ("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",)
_KEY_BODY = re.compile(r"[A-Za-z0-9+/=]{64}")


def is_placeholder(value: str, kind: str) -> bool:
    if kind in ("PRIVATE_KEY", "GCP_SERVICE_ACCOUNT"):
        # A key's random base64 may hold any short word: only an elided body marks an example.
        return "..." in value or not _KEY_BODY.search(value.replace("\\n", "\n"))
    if value.lower() in _WORDS or any(example in value for example in _KNOWN_EXAMPLES):
        return True
    return bool(_SIGNS.search(value) or is_templated_secret(value) or is_sequential_string(value))
