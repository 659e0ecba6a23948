"""Browser steps the journeys share: an official's login with password and TOTP, a credential's QR code."""

from pathlib import Path

from tests.core.test_credentials import decode_qr_codes
from tests.e2e.test_official_login import current_code, log_in_with_password


def official_page(browser, base: str, username: str, device, next_url: str):
    """A new browser context with the official logged in (password, then TOTP) on ``next_url``.

    Returns ``(context, page)``; the caller closes the context.  One TOTP code: one such login per test.
    """
    context = browser.new_context(locale="uz")
    try:
        page = context.new_page()
        log_in_with_password(page, base, username, next_url=next_url)
        page.fill("input[name=token]", current_code(device))
        with page.expect_navigation():
            page.click("form.stack button[type=submit]")
        assert page.url == f"{base}{next_url}", page.url
    except BaseException:
        context.close()
        raise
    return context, page


def credential_verify_url(page, base: str, link: str) -> str:
    """Download the credential PDF behind ``link`` and return the verification URL its QR code encodes."""
    with page.expect_download() as download:
        page.click(link)
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    [url] = decode_qr_codes(pdf)
    assert url.startswith(f"{base}/verify/")
    return url
