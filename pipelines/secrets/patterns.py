"""What a credential looks like: detect-secrets' regex plugins, plus our own patterns for what they
lack (GCP, Alibaba, Azure SAS, newer token formats, Authorization headers) or where their regex
backtracks without bound. Only the plugins' pure `analyze_string` and JWT validator are used:
never `verify` (network) nor a baseline file.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

# Plugins run over the whole text, with the type we report. Left out: the high-entropy plugins
# (on technical prose they flag commit hashes, paths and URLs by the hundred), PrivateKeyDetector
# (it finds the BEGIN line only; blocks.py takes the block whole), the keyword-only IBM, Cloudant
# and SoftLayer ones, and JWT, OpenAI and npm, whose regexes take seconds on a run of "eyJ",
# "sk-" or "//" (each start rescans the run): OWN has them anchored at a token's start.
PLUGINS: tuple[tuple[RegexBasedDetector, str], ...] = (
    (AWSKeyDetector(), "AWS_ACCESS_KEY"),
    (AzureStorageKeyDetector(), "AZURE_STORAGE_KEY"),
    (BasicAuthDetector(), "URL_PASSWORD"),
    (GitHubTokenDetector(), "GITHUB_TOKEN"),
    (GitLabTokenDetector(), "GITLAB_TOKEN"),
    (SlackDetector(), "SLACK_TOKEN"),
    (StripeDetector(), "STRIPE_KEY"),
    (TwilioKeyDetector(), "TWILIO_KEY"),
    (SendGridDetector(), "SENDGRID_KEY"),
    (DiscordBotTokenDetector(), "DISCORD_TOKEN"),
    (TelegramBotTokenDetector(), "TELEGRAM_TOKEN"),
    (MailchimpDetector(), "MAILCHIMP_KEY"),
    (PypiTokenDetector(), "PYPI_TOKEN"),
    (SquareOAuthDetector(), "SQUARE_OAUTH_SECRET"),
    (ArtifactoryDetector(), "ARTIFACTORY_TOKEN"),
)
AWS_KEY_ID = re.compile(r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}")
is_valid_jwt = JwtTokenDetector.is_formally_valid


class Own(NamedTuple):
    type: str
    regex: re.Pattern[str]
    group: int  # the group holding the secret
    hint: str  # lowercase text the pattern cannot match without: most texts skip the regex


def _assignment(keyword: str, value: str) -> re.Pattern[str]:
    return re.compile(rf"(?i)(?:{keyword})[\"']?\s*(?:[:=]|=>)\s*[\"']?({value})")


# A literal comes first where it can (the regex engine then skips ahead to it) and a lookbehind
# after it keeps a match from starting inside a longer token.
OWN: tuple[Own, ...] = (
    Own(
        "JWT",
        re.compile(
            r"eyJ(?<![\w-]eyJ)[\w-]+={0,2}\.[\w-]+={0,2}(?:\.[\w-]*={0,2})?",
            re.ASCII,
        ),
        0,
        "eyj",
    ),
    Own(
        "OPENAI_KEY",
        re.compile(
            r"sk-(?<![\w-]sk-)(?:(?:proj|svcacct|admin)-[\w-]{40,}"
            r"|[\w-]*[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
            re.ASCII,
        ),
        0,
        "sk-",
    ),
    Own(
        "ANTHROPIC_KEY",
        re.compile(r"sk-ant-(?<![\w-]sk-ant-)(?:api|admin)\d\d-[\w-]{80,}", re.ASCII),
        0,
        "sk-ant-",
    ),
    Own("NPM_TOKEN", re.compile(r"npm_(?<!\wnpm_)[A-Za-z0-9]{36}(?!\w)"), 0, "npm_"),
    Own(
        "NPM_TOKEN",
        re.compile(r":_authToken=\s*(npm_[A-Za-z0-9]{36}|[A-Fa-f0-9-]{36})(?![\w-])"),
        1,
        "_authtoken",
    ),
    Own("GCP_API_KEY", re.compile(r"AIza(?<![\w-]AIza)[\w-]{35}(?![\w-])", re.ASCII), 0, "aiza"),
    Own(
        "GCP_OAUTH_SECRET",
        re.compile(r"GOCSPX-(?<![\w-]GOCSPX-)[\w-]{28}(?![\w-])", re.ASCII),
        0,
        "gocspx-",
    ),
    Own(
        "AWS_SECRET_KEY",
        _assignment(
            r"secret_?(?:access_?)?key|aws_?secret", r"[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
        ),
        1,
        "secret",
    ),
    Own(
        "ALIBABA_ACCESS_KEY",
        re.compile(r"LTAI(?<![A-Za-z0-9]LTAI)[A-Za-z0-9]{12,20}(?![A-Za-z0-9])"),
        0,
        "ltai",
    ),
    Own(
        "ALIBABA_SECRET_KEY",
        _assignment(r"access_?key_?secret", r"[A-Za-z0-9]{30}(?![A-Za-z0-9])"),
        1,
        "secret",
    ),
    Own(
        "AZURE_SAS_TOKEN",
        re.compile(r"sig=(?<![A-Za-z0-9]sig=)([A-Za-z0-9%/+]{40,}(?:%3D|=){0,2})"),
        1,
        "sig=",
    ),
    Own(
        "AZURE_SHARED_ACCESS_KEY",
        re.compile(r"(?i)SharedAccessKey=([A-Za-z0-9+/]{42,44}={0,2})(?![A-Za-z0-9+/=])"),
        1,
        "sharedaccesskey=",
    ),
    Own("GITHUB_TOKEN", re.compile(r"github_pat_(?<!\wgithub_pat_)\w{82}"), 0, "github_pat_"),
    Own(
        "BASIC_AUTH_HEADER",
        re.compile(r"(?i)\bAuthorization\s*[:=]\s*[\"']?Basic\s+([A-Za-z0-9+/]{8,}={0,2})"),
        1,
        "authorization",
    ),
    Own(
        "BEARER_TOKEN",
        re.compile(r"(?i)\bAuthorization\s*[:=]\s*[\"']?Bearer\s+([A-Za-z0-9._~+/-]{20,}=*)"),
        1,
        "authorization",
    ),
)

# A key id's partner secret usually sits a line or two away, without a keyword of its own.
PARTNERS: dict[str, tuple[str, re.Pattern[str]]] = {
    "AWS_ACCESS_KEY": (
        "AWS_SECRET_KEY",
        re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
    ),
    "ALIBABA_ACCESS_KEY": (
        "ALIBABA_SECRET_KEY",
        re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{30}(?![A-Za-z0-9])"),
    ),
}
PARTNER_DISTANCE = 300
# An Azure `sig=` is a SAS signature only with the SAS version next to it.
SAS_VERSION = re.compile(r"(?<![A-Za-z0-9])sv=\d{4}-\d\d-\d\d")
