"""Browser steps the journeys share: an official's login with password and TOTP, a credential's QR code."""

from pathlib import Path

from django_otp.oath import TOTP

from tests.core.test_credentials import decode_qr_codes

PASSWORD = "Correct-Horse-Battery-9"  # what tests.factories.UserFactory sets


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in_with_password(page, base_url: str, username: str, *, next_url: str = "") -> None:
    """The login form's first step; an official is then on the one-time-code step."""
    page.goto(f"{base_url}/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")


def enter_totp(page, device) -> None:
    """The second step: the official's current one-time code (one per test: a code is accepted once)."""
    page.fill("input[name=token]", current_code(device))
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")


def log_in_official(page, base: str, username: str, device, next_url: str = "") -> None:
    """Both steps; asserts the official lands on ``next_url`` (the dashboard without one)."""
    log_in_with_password(page, base, username, next_url=next_url)
    enter_totp(page, device)
    assert page.url == f"{base}{next_url or '/dashboard/'}", page.url


def official_page(browser, base: str, username: str, device, next_url: str):
    """A new browser context with the official logged in (password, then TOTP) on ``next_url``.

    Returns ``(context, page)``; the caller closes the context.  One TOTP code: one such login per test.
    """
    context = browser.new_context(locale="uz")
    try:
        page = context.new_page()
        log_in_official(page, base, username, device, next_url)
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
