"""What a credential looks like: detect-secrets' regex plugins, plus our own patterns for what they
lack (PEM blocks whole, GCP, Alibaba, Azure SAS, newer token formats, Authorization headers).
Only the plugins' pure `analyze_string` is used: never `verify` (network) nor a baseline file.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import BasePlugin
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

# Line-based plugins and the type we report. Left out: the high-entropy plugins (on technical
# prose they flag commit hashes, paths and URLs by the hundred), PrivateKeyDetector (it finds the
# BEGIN line only; OWN removes the block whole) and the keyword-only IBM/Cloudant/SoftLayer ones.
PLUGINS: tuple[tuple[BasePlugin, str], ...] = (
    (AWSKeyDetector(), "AWS_ACCESS_KEY"),
    (AzureStorageKeyDetector(), "AZURE_STORAGE_KEY"),
    (BasicAuthDetector(), "URL_PASSWORD"),
    (JwtTokenDetector(), "JWT"),
    (GitHubTokenDetector(), "GITHUB_TOKEN"),
    (GitLabTokenDetector(), "GITLAB_TOKEN"),
    (SlackDetector(), "SLACK_TOKEN"),
    (StripeDetector(), "STRIPE_KEY"),
    (TwilioKeyDetector(), "TWILIO_KEY"),
    (SendGridDetector(), "SENDGRID_KEY"),
    (OpenAIDetector(), "OPENAI_KEY"),
    (DiscordBotTokenDetector(), "DISCORD_TOKEN"),
    (TelegramBotTokenDetector(), "TELEGRAM_TOKEN"),
    (MailchimpDetector(), "MAILCHIMP_KEY"),
    (NpmDetector(), "NPM_TOKEN"),
    (PypiTokenDetector(), "PYPI_TOKEN"),
    (SquareOAuthDetector(), "SQUARE_OAUTH_SECRET"),
    (ArtifactoryDetector(), "ARTIFACTORY_TOKEN"),
)
AWS_KEY_ID = re.compile(r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}")

_PEM_BEGIN = r"-{4,5} ?BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)? ?-{4,5}"
_PEM_END = r"-{4,5} ?END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)? ?-{4,5}"
_NEWLINE = r"(?:\s|\\r|\\n)+"


class Own(NamedTuple):
    type: str
    regex: re.Pattern[str]
    group: int  # the group holding the secret
    hint: str  # lowercase text the pattern cannot match without: most texts skip the regex


def _assignment(keyword: str, value: str) -> re.Pattern[str]:
    return re.compile(rf"(?i)(?:{keyword})[\"']?\s*(?:[:=]|=>)\s*[\"']?({value})")


# They run over the whole text, not line by line, so a PEM block spanning lines is removed whole,
# armour lines included. A literal comes first where it can: the regex engine then skips ahead.
OWN: tuple[Own, ...] = (
    Own(
        "GCP_SERVICE_ACCOUNT",
        re.compile(rf'"private_key"\s*:\s*"({_PEM_BEGIN}[^"]{{0,20000}}?{_PEM_END}[^"]{{0,8}})"'),
        1,
        "private_key",
    ),
    Own("PRIVATE_KEY", re.compile(rf"{_PEM_BEGIN}[\s\S]{{0,20000}}?{_PEM_END}"), 0, "private key"),
    # A block cut short (no END line): the header and the base64 or header lines after it.
    Own(
        "PRIVATE_KEY",
        re.compile(
            rf"{_PEM_BEGIN}(?:{_NEWLINE}"
            r"(?:[A-Za-z0-9+/=]{16,}|[A-Za-z-]{3,20}: [^\n]{0,200}))*"
        ),
        0,
        "private key",
    ),
    Own(
        "PRIVATE_KEY",
        re.compile(r"PuTTY-User-Key-File-\d:[\s\S]{0,10000}?Private-MAC: ?[0-9a-fA-F]+"),
        0,
        "putty-user-key-file",
    ),
    Own("GCP_API_KEY", re.compile(r"AIza(?<![\w-]AIza)[0-9A-Za-z_-]{35}(?![\w-])"), 0, "aiza"),
    Own(
        "GCP_OAUTH_SECRET",
        re.compile(r"GOCSPX-(?<![\w-]GOCSPX-)[A-Za-z0-9_-]{28}(?![\w-])"),
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
        "OPENAI_KEY",
        re.compile(r"sk-(?<![\w-]sk-)(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"),
        0,
        "sk-",
    ),
    Own(
        "ANTHROPIC_KEY",
        re.compile(r"sk-ant-(?<![\w-]sk-ant-)(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}"),
        0,
        "sk-ant-",
    ),
    Own("NPM_TOKEN", re.compile(r"npm_(?<!\wnpm_)[A-Za-z0-9]{36}(?!\w)"), 0, "npm_"),
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
