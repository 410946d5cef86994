"""Challenge pages, login walls and paywalls."""

from __future__ import annotations

import pytest

from crawler.signals.walls import detect_challenge, detect_login_wall, detect_paywall

LOREM = " ".join(["The council met on Tuesday to discuss the new budget for the library."] * 40)

CLOUDFLARE_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main">
<div class="main-content"><noscript><div class="h2">Enable JavaScript and cookies to continue</div>
</noscript></div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "example.com",
cType: 'managed',cRay: '8f1c2d3e4f5a6b7c'};var cpo = document.createElement('script');
cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f1c2d3e4f5a6b7c';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>"""

CLOUDFLARE_NORMAL_PAGE = f"""<html><head><title>Library budget</title></head><body>
<article><p>{LOREM}</p></article>
<script>(function(){{function c(){{var b=a.contentDocument||a.contentWindow.document;if(b){{
var d=b.createElement('script');d.innerHTML="window.__CF$cv$params={{r:'8f1',t:'MTcz'}};
var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js';
document.getElementsByTagName('head')[0].appendChild(a);";}}}}}})();</script></body></html>"""


def test_cf_mitigated_header_is_a_challenge():
    signal = detect_challenge(403, {"CF-Mitigated": "challenge"}, "")
    assert signal is not None
    assert signal.code == "challenge"
    assert signal.evidence == "cf-mitigated: challenge"
    assert signal.detail["vendor"] == "cloudflare"


def test_cloudflare_challenge_page_markup():
    signal = detect_challenge(403, {"server": "cloudflare"}, CLOUDFLARE_CHALLENGE)
    assert signal is not None and signal.detail["vendor"] == "cloudflare"
    assert "_cf_chl_opt" in signal.evidence


def test_cloudflare_just_a_moment_title_with_cloudflare_headers():
    html = "<html><head><title>Just a moment...</title></head><body></body></html>"
    assert detect_challenge(503, {"cf-ray": "8f1c-AMS"}, html) is not None


def test_ordinary_cloudflare_page_with_jsd_script_is_not_a_challenge():
    assert detect_challenge(200, {"server": "cloudflare"}, CLOUDFLARE_NORMAL_PAGE) is None


def test_blog_post_that_mentions_captcha_is_not_a_challenge():
    html = f"""<html><head><title>Why CAPTCHA is bad for accessibility</title></head><body>
    <article><h1>Why captcha is bad</h1><p>A CAPTCHA, such as reCAPTCHA or hCaptcha or
    Cloudflare Turnstile, asks you to verify you are human. "Just a moment..." pages and
    the px-captcha widget annoy readers. {LOREM}</p></article></body></html>"""
    assert detect_challenge(200, {}, html) is None


def test_recaptcha_on_a_comment_form_under_an_article_is_not_a_challenge():
    html = f"""<html><head><title>Library budget</title>
    <script src="https://www.google.com/recaptcha/api.js" async defer></script></head><body>
    <article><p>{LOREM}</p></article><form action="/comment" method="post">
    <textarea name="comment"></textarea><div class="g-recaptcha" data-sitekey="6Lc"></div>
    <button>Post</button></form></body></html>"""
    assert detect_challenge(200, {}, html) is None


def test_recaptcha_gating_a_thin_page_is_a_challenge():
    html = """<html><head><title>Verification</title></head><body><form method="post">
    <p>Please complete the security check to access the site.</p>
    <div class="g-recaptcha" data-sitekey="6LcXYZ"></div>
    <script src="https://www.google.com/recaptcha/api.js"></script></form></body></html>"""
    signal = detect_challenge(200, {}, html)
    assert signal is not None and signal.detail["vendor"] == "recaptcha"
    assert signal.evidence.startswith("<div")


def test_hcaptcha_on_a_403_page_is_a_challenge():
    html = f'<html><body><p>{LOREM}</p><div class="h-captcha" data-sitekey="x"></div></body></html>'
    signal = detect_challenge(403, {}, html)
    assert signal is not None and signal.detail["vendor"] == "hcaptcha"


def test_turnstile_verify_you_are_human_page():
    html = """<html><head><title>Verify you are human</title>
    <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" defer></script></head>
    <body><div class="cf-turnstile" data-sitekey="0x4AAA"></div></body></html>"""
    signal = detect_challenge(200, {}, html)
    assert signal is not None and signal.detail["vendor"] == "turnstile"


def test_datadome_captcha_page():
    html = """<html><head><title>example.com</title></head><body>
    <script>var dd={'rt':'c','cid':'AHrlqAAAAAMA','hsh':'2211F5','t':'fe','s':17434,
    'e':'abc','host':'geo.captcha-delivery.com'}</script>
    <script src="https://ct.captcha-delivery.com/c.js"></script></body></html>"""
    signal = detect_challenge(403, {"x-datadome": "protected"}, html)
    assert signal is not None and signal.detail["vendor"] == "datadome"


def test_datadome_tag_on_a_normal_page_is_not_a_challenge():
    html = f"""<html><head><script src="https://js.datadome.co/tags.js" async></script></head>
    <body><p>{LOREM}</p></body></html>"""
    assert detect_challenge(200, {}, html) is None


def test_perimeterx_press_and_hold():
    html = """<html><head><title>Access to this page has been denied</title></head><body>
    <div id="px-captcha"></div><p>Press &amp; Hold to confirm you are a human.</p>
    <script src="https://captcha.px-cdn.net/PXabc/captcha.js?a=c"></script></body></html>"""
    signal = detect_challenge(403, {}, html)
    assert signal is not None and signal.detail["vendor"] == "perimeterx"


def test_aws_waf_captcha_header_and_page():
    assert detect_challenge(405, {"x-amzn-waf-action": "captcha"}, "") is not None
    html = """<html><head><script>window.gokuProps = {"key":"AQID","iv":"CgAH","context":"x"};
    </script><script src="https://abc123.token.awswaf.com/abc123/def/challenge.js"></script>
    </head><body></body></html>"""
    signal = detect_challenge(202, {}, html)
    assert signal is not None and signal.detail["vendor"] == "aws-waf"


def test_akamai_bot_manager_interstitial():
    html = """<html><body><iframe id="sec-cpt-if" class="sec-if-cpt-container" provider="crypto"
    src="/_sec/cp_challenge/ak-challenge-4-3.htm"></iframe></body></html>"""
    signal = detect_challenge(428, {}, html)
    assert signal is not None and signal.detail["vendor"] == "akamai"


def test_imperva_incident_page():
    html = """<html><body><iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=9"
    frameborder=0 width="100%" height="100%">Request unsuccessful. Incapsula incident ID:
    1234-5678</iframe></body></html>"""
    signal = detect_challenge(200, {}, html)
    assert signal is not None and signal.detail["vendor"] == "imperva"


def test_challenge_marker_in_an_html_comment_is_ignored():
    html = f"<html><body><p>{LOREM}</p><!-- window._cf_chl_opt --></body></html>"
    assert detect_challenge(200, {}, html) is None


@pytest.mark.parametrize("html", ["", None, b"\xff\xfe", "<<<<", "<title>", "<script"])
def test_challenge_detector_survives_garbage(html):
    assert detect_challenge(200, {}, html) is None


# --- login walls --------------------------------------------------------------------------------


def test_401_with_www_authenticate_is_a_login_wall():
    signal = detect_login_wall(
        401, {"WWW-Authenticate": 'Basic realm="staff"'}, "https://e.com/x", ""
    )
    assert signal is not None
    assert signal.code == "login-wall"
    assert signal.evidence == 'WWW-Authenticate: Basic realm="staff"'


@pytest.mark.parametrize(
    "url",
    [
        "https://e.com/login",
        "https://e.com/signin?next=%2Farticle",
        "https://e.com/account/login",
        "https://e.com/users/sign_in",
        "https://e.com/wp-login.php?redirect_to=%2F",
        "https://e.com/Account/Login?ReturnUrl=%2Fmembers",
        "https://e.com/auth?returnUrl=/x",
    ],
)
def test_final_url_that_is_a_login_page_is_a_login_wall(url):
    signal = detect_login_wall(200, {}, url, "<html></html>")
    assert signal is not None and signal.source == "url"


@pytest.mark.parametrize(
    "url",
    [
        "https://e.com/blog/how-to-login-securely",
        "https://e.com/news/signing-ceremony",
        "https://e.com/search?q=login",
    ],
)
def test_urls_that_merely_mention_login_are_not_walls(url):
    assert detect_login_wall(200, {}, url, f"<p>{LOREM}</p>") is None


def test_page_that_is_only_a_password_form_is_a_login_wall():
    html = """<html><head><title>Members</title></head><body><main><h1>Sign in to continue</h1>
    <form method="post" action="/session"><input type="email" name="email">
    <input type="password" name="password"><button>Sign in</button></form></main></body></html>"""
    signal = detect_login_wall(200, {}, "https://e.com/members/article-1", html)
    assert signal is not None and signal.source == "html"
    assert 'type="password"' in signal.evidence


def test_article_with_a_login_box_in_the_header_is_not_a_wall():
    html = f"""<html><body><header><form action="/login"><input type="text" name="u">
    <input type="password" name="p"></form></header>
    <article><p>{LOREM}</p></article></body></html>"""
    assert detect_login_wall(200, {}, "https://e.com/news/1", html) is None


def test_login_detector_survives_garbage():
    assert detect_login_wall(200, {}, "http://[::1", "<input type=password") is None
    assert detect_login_wall(200, None, "", None) is None  # type: ignore[arg-type]


# --- paywalls -----------------------------------------------------------------------------------

GOOGLE_EXAMPLE = """<html><head><title>Article headline</title>
<script type="application/ld+json">
{
  "@context": "https://schema.org",
  "@type": "NewsArticle",
  "headline": "Article headline",
  "isAccessibleForFree": false,
  "hasPart": {
    "@type": "WebPageElement",
    "isAccessibleForFree": false,
    "cssSelector": ".paywall"
  }
}
</script></head><body><p>Free intro.</p><div class="paywall">Subscriber text</div></body></html>"""


def test_google_example_paywall_with_selector():
    paywall = detect_paywall(GOOGLE_EXAMPLE)
    assert paywall is not None
    assert paywall.selectors == (".paywall",)
    assert paywall.signal.code == "paywall"
    assert paywall.signal.source == "json-ld"
    assert '"isAccessibleForFree": false' in paywall.signal.evidence
    assert "NewsArticle" in paywall.signal.evidence
    assert paywall.signal.detail["selectors"] == ".paywall"


@pytest.mark.parametrize("flag", ['"False"', '"false"', "false", '"https://schema.org/False"'])
def test_false_spellings(flag):
    html = (
        '<script type="application/ld+json">'
        f'{{"@type": "Article", "isAccessibleForFree": {flag}}}</script>'
    )
    paywall = detect_paywall(html)
    assert paywall is not None and paywall.selectors == ()


def test_paywall_inside_graph_and_lists_with_several_parts():
    html = """<script type="application/ld+json">[{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Daily"},
      {"@type": "NewsArticle", "isAccessibleForFree": "False", "hasPart": [
        {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".premium"},
        {"@type": "WebPageElement", "isAccessibleForFree": "True", "cssSelector": ".teaser"},
        {"@type": "WebPageElement", "isAccessibleForFree": false,
         "cssSelector": [".locked", "#rest"]}
      ]}
    ]}]</script>"""
    paywall = detect_paywall(html)
    assert paywall is not None
    assert paywall.selectors == (".premium", ".locked", "#rest")


def test_free_article_is_no_paywall():
    html = (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "isAccessibleForFree": true}</script>'
    )
    assert detect_paywall(html) is None


def test_paywall_json_ld_with_trailing_comma_and_comment_wrapper():
    html = """<script type="application/ld+json"><!--
    {"@type": "Article", "isAccessibleForFree": "false",}
    --></script>"""
    assert detect_paywall(html) is not None


def test_microdata_paywall_flag():
    html = (
        '<div itemscope itemtype="https://schema.org/Article">'
        '<meta itemprop="isAccessibleForFree" content="False"></div>'
    )
    paywall = detect_paywall(html)
    assert paywall is not None and paywall.signal.source == "html"


def test_other_script_types_are_not_read():
    html = '<script type="text/javascript">var x = {"isAccessibleForFree": false};</script>'
    assert detect_paywall(html) is None


@pytest.mark.parametrize(
    "html",
    [
        "",
        None,
        '<script type="application/ld+json">{not json</script>',
        '<script type="application/ld+json">' + "[" * 50_000 + "</script>",
        '<script type="application/ld+json">',
    ],
)
def test_paywall_detector_survives_garbage(html):
    assert detect_paywall(html) is None
