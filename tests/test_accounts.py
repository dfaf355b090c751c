import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import services
from safeguarding.accounts.roles import Role
from safeguarding.core.models import AuditEvent
from tests import factories

SIGN_IN = "/account/sign-in/"


def sign_in_with_password(client, email, password=factories.PASSWORD):
    return client.post(SIGN_IN, {"username": email, "password": password})


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def shown_codes(page):
    return re.findall(r"<li>([a-z2-7]{4} [a-z2-7]{4})</li>", page)


@pytest.mark.django_db
def test_sign_in_page_uses_the_design_system(client):
    page = client.get(SIGN_IN).content.decode()
    assert 'class="govuk-input' in page and "Sign in" in page
    assert "GDS Transport" not in page and "govuk-header__logotype" not in page  # not GOV.UK-branded


@pytest.mark.django_db
def test_member_signs_in_with_email_password_and_code(client, partnership):
    user = factories.person(partnership, Role.PARTNER_LEAD, email="lead@test.example")
    services.make_recovery_codes(user=user)  # made at an earlier sign-in: this one goes straight on
    response = sign_in_with_password(client, "lead@test.example")
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == reverse("accounts:two-factor")
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    assert response["Location"] == "/"
    assert client.get("/", follow=True).request["PATH_INFO"] == f"/p/{partnership.slug}/"


@pytest.mark.django_db
def test_wrong_password_shows_an_error_summary(client, partnership):
    factories.person(partnership, Role.PARTNER_LEAD, email="lead@test.example")
    page = sign_in_with_password(client, "lead@test.example", "wrong").content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "Enter a correct e-mail address and password" in page


@pytest.mark.django_db
def test_two_factor_roles_must_enrol_then_give_a_code(client, partnership):
    factories.person(partnership, Role.ADMIN, email="admin@test.example", verified_device=False)
    sign_in_with_password(client, "admin@test.example")
    blocked = client.get(f"/p/{partnership.slug}/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("accounts:two-factor"))

    enrol = client.get(reverse("accounts:two-factor")).content.decode()
    assert "Set up two-factor sign-in" in enrol and "<svg" in enrol
    secret = re.search(r"id='totp-secret'>([A-Z2-7]+)<", enrol).group(1)
    device = TOTPDevice.objects.get(user__email="admin@test.example")
    assert secret  # the key is shown for typing into an app

    wrong = client.post(reverse("accounts:two-factor"), {"code": "000000" if current_code(device) != "000000"
                                                         else "111111"})
    assert "The code is not right" in wrong.content.decode()
    throttled = client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    assert "Too many wrong codes" in throttled.content.decode()  # django-otp's back-off after a failure
    device.refresh_from_db()
    device.throttle_reset()  # as if the back-off period had passed
    ok = client.post(reverse("accounts:two-factor") + f"?next=/p/{partnership.slug}/",
                     {"code": current_code(device), "next": f"/p/{partnership.slug}/"})
    # Set up: the recovery codes are shown once, then on to the page asked for.
    codes_page = f"{reverse('accounts:recovery-codes')}?next=%2Fp%2F{partnership.slug}%2F"
    assert ok.status_code == 302 and ok["Location"] == codes_page
    assert client.get(f"/p/{partnership.slug}/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    page = client.get(codes_page).content.decode()
    assert "Save your recovery codes" in page and len(shown_codes(page)) == services.RECOVERY_CODES
    assert f'href="/p/{partnership.slug}/"' in page  # "I have saved my codes: continue"
    assert "Save your recovery codes" not in client.get(codes_page).content.decode()  # once only


@pytest.mark.django_db
def test_two_factor_next_does_not_redirect_off_site(client, partnership):
    user = factories.person(partnership, Role.ADMIN, verified_device=False)
    client.force_login(user)
    client.get(reverse("accounts:two-factor"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two-factor"), {"code": current_code(device),
                                                             "next": "https://evil.example/"})
    assert response["Location"] == f"{reverse('accounts:recovery-codes')}?next=%2F"
    assert 'href="/"' in client.get(response["Location"]).content.decode()
    off_site = client.get(reverse("accounts:recovery-codes") + "?next=https://evil.example/").content.decode()
    assert "evil.example" not in off_site


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, partnership):
    factories.person(partnership, Role.SCRUTINEER, email="reader@test.example")
    response = client.post(reverse("accounts:password-reset"), {"email": "reader@test.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(form_page.request["PATH_INFO"], {"new_password1": "a-brand-new-passphrase-42",
                                                        "new_password2": "a-brand-new-passphrase-42"})
    assert done.status_code == 302
    client.logout()
    assert sign_in_with_password(client, "reader@test.example", "a-brand-new-passphrase-42").status_code == 302


@pytest.mark.django_db
def test_password_reset_for_unknown_address_says_the_same(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@test.example"})
    assert response.status_code == 302 and len(mail.outbox) == 0


@pytest.mark.django_db
def test_sign_out_needs_a_post(client, partnership):
    client.force_login(factories.person(partnership, Role.SCRUTINEER))
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert client.post(reverse("accounts:sign-out")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_person_in_two_partnerships_chooses_one(client, partnership, other_partnership):
    user = factories.person(partnership, Role.SCRUTINEER)
    from safeguarding.accounts.models import Membership

    Membership.objects.create(user=user, partnership=other_partnership, role=Role.AGENCY_LEAD)
    factories.sign_in(client, user)
    page = client.get("/").content.decode()
    assert partnership.name in page and other_partnership.name in page
    assert client.get(f"/p/{other_partnership.slug}/").status_code == 200


@pytest.mark.django_db
def test_csrf_is_enforced(partnership):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    factories.sign_in(client, factories.person(partnership, Role.ADMIN))
    response = client.post(f"/p/{partnership.slug}/register/subgroups/add/", {"name": "X"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client, partnership):
    factories.sign_in(client, factories.person(partnership, Role.SCRUTINEER))
    policy = client.get(f"/p/{partnership.slug}/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy
    page = client.get(f"/p/{partnership.slug}/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "no inline script"


# -- recovery codes -------------------------------------------------------------------------------------------------


def _recovery(client, code, next_url=""):
    return client.post(reverse("accounts:two-factor-recovery"), {"code": code, "next": next_url})


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(client, partnership):
    from django_otp.plugins.otp_static.models import StaticDevice

    user = factories.person(partnership, Role.SCRUTINEER, email="reader@test.example")
    codes = services.make_recovery_codes(user=user)
    sign_in_with_password(client, user.email)
    code_page = client.get(reverse("accounts:two-factor")).content.decode()
    assert f'href="{reverse("accounts:two-factor-recovery")}?next=%2F"' in code_page
    assert "Sign in with a recovery code" in client.get(reverse("accounts:two-factor-recovery")).content.decode()

    # As shown ("abcd efgh"), in capitals or with a hyphen: the same code.
    typed = f"{codes[0][:4].upper()}-{codes[0][4:].upper()}"
    response = _recovery(client, typed, f"/p/{partnership.slug}/")
    assert response.status_code == 302 and response["Location"] == f"/p/{partnership.slug}/"
    page = client.get(f"/p/{partnership.slug}/")
    assert page.status_code == 200 and "you have 9 left" in page.content.decode()
    assert services.recovery_codes_left(user) == 9

    client.post(reverse("accounts:sign-out"))
    sign_in_with_password(client, user.email)
    used = _recovery(client, codes[0])
    assert used.status_code == 200 and "it has been used" in used.content.decode()
    assert client.get(f"/p/{partnership.slug}/")["Location"].startswith(reverse("accounts:two-factor"))
    StaticDevice.objects.get(user=user).throttle_reset()  # as if the back-off after the wrong code had passed
    assert _recovery(client, codes[1]).status_code == 302
    assert client.get(f"/p/{partnership.slug}/").status_code == 200


@pytest.mark.django_db
def test_recovery_codes_are_slowed_after_a_wrong_one(client, partnership):
    user = factories.person(partnership, Role.AGENCY_LEAD)
    codes = services.make_recovery_codes(user=user)
    sign_in_with_password(client, user.email)
    assert "is not right" in _recovery(client, "aaaa aaaa").content.decode()
    assert "Too many wrong codes" in _recovery(client, codes[0]).content.decode()
    assert services.recovery_codes_left(user) == 10


@pytest.mark.django_db
def test_someone_without_recovery_codes_cannot_use_one(client, partnership):
    user = factories.person(partnership, Role.CASE_REVIEW)
    sign_in_with_password(client, user.email)
    assert "is not right" in _recovery(client, "abcdefgh").content.decode()
    assert client.get(f"/p/{partnership.slug}/").status_code == 302


@pytest.mark.django_db
def test_the_last_recovery_code_brings_new_ones(client, partnership):
    user = factories.person(partnership, Role.PARTNER_LEAD)
    codes = services.make_recovery_codes(user=user)
    from django_otp.plugins.otp_static.models import StaticToken

    StaticToken.objects.filter(device__user=user).exclude(token=codes[-1]).delete()
    sign_in_with_password(client, user.email)
    response = _recovery(client, codes[-1])
    assert response["Location"] == f"{reverse('accounts:recovery-codes')}?next=%2F"
    new = shown_codes(client.get(response["Location"]).content.decode())
    assert len(new) == 10 and codes[-1].replace(" ", "") not in [c.replace(" ", "") for c in new]
    assert services.recovery_codes_left(user) == 10
    assert client.get(f"/p/{partnership.slug}/").status_code == 200  # still signed in with the code given


@pytest.mark.django_db
def test_a_person_makes_new_recovery_codes_and_the_old_ones_stop_working(client, partnership):
    user = factories.person(partnership, Role.LADO)
    old = services.make_recovery_codes(user=user)
    factories.sign_in(client, user)
    page = client.get(reverse("accounts:recovery-codes")).content.decode()
    assert "You have 10 unused recovery codes" in page and not shown_codes(page)
    assert "Make new recovery codes" in page
    response = client.post(reverse("accounts:recovery-codes"), {"next": f"/p/{partnership.slug}/"})
    assert response["Location"] == f"{reverse('accounts:recovery-codes')}?next=%2Fp%2F{partnership.slug}%2F"
    shown = client.get(response["Location"])
    assert "no-store" in shown["Cache-Control"]
    new = [code.replace(" ", "") for code in shown_codes(shown.content.decode())]
    assert len(new) == 10 and not set(new) & set(old)
    from django_otp.plugins.otp_static.models import StaticToken

    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(new)


@pytest.mark.django_db
def test_the_recovery_codes_page_asks_for_the_code_first(client, partnership):
    user = factories.person(partnership, Role.SCRUTINEER)
    client.force_login(user)  # the password only
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("accounts:recovery-codes"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two-factor"))
    assert services.recovery_codes_left(user) == 0


# -- the partnership admin's reset ----------------------------------------------------------------------------------


def _reset_url(partnership, user):
    return reverse("partnership:reset-two-factor", kwargs={"slug": partnership.slug, "pk": user.pk})


@pytest.mark.django_db
def test_an_admin_resets_a_members_two_factor_and_it_is_audited(client, partnership):
    from django_otp.plugins.otp_static.models import StaticDevice

    admin = factories.person(partnership, Role.ADMIN, email="admin@test.example")
    member = factories.person(partnership, Role.SCRUTINEER, email="reader@test.example")
    services.make_recovery_codes(user=member)
    members_session = factories.sign_in(type(client)(), member)
    assert members_session.get(f"/p/{partnership.slug}/").status_code == 200
    factories.sign_in(client, admin)

    people = client.get(reverse("partnership:people", kwargs={"slug": partnership.slug})).content.decode()
    assert _reset_url(partnership, member) in people and _reset_url(partnership, admin) not in people
    page = client.get(_reset_url(partnership, member)).content.decode()
    assert "Reset Test Person's two-factor sign-in?" in page
    response = client.post(_reset_url(partnership, member))
    assert response["Location"] == reverse("partnership:people", kwargs={"slug": partnership.slug})

    assert not TOTPDevice.objects.filter(user=member).exists() and not StaticDevice.objects.filter(user=member)
    event = AuditEvent.objects.get(record_type="accounts.user")
    assert (event.partnership, event.actor, event.record_id, event.action) == (partnership, admin, str(member.pk),
                                                                              AuditEvent.Action.UPDATE)
    assert event.before == {"two_factor": "authenticator app, 10 recovery codes unused"}
    assert event.after == {"two_factor": "reset: signed out; sets up an authenticator app at the next sign-in"}
    # The member is signed out everywhere (a session on the lost phone could otherwise set up the new app); the
    # admin is not. Signing in again, they set up a new app.
    assert members_session.get(f"/p/{partnership.slug}/")["Location"].startswith(SIGN_IN)
    assert members_session.get(reverse("accounts:two-factor"))["Location"].startswith(SIGN_IN)
    assert client.get(f"/p/{partnership.slug}/").status_code == 200
    sign_in_with_password(members_session, member.email)
    assert "Set up two-factor sign-in" in members_session.get(reverse("accounts:two-factor")).content.decode()


@pytest.mark.django_db
def test_the_reset_and_its_audit_event_are_one_transaction(client, partnership):
    from unittest import mock

    admin = factories.person(partnership, Role.ADMIN)
    member = factories.person(partnership, Role.ANALYST)
    factories.sign_in(client, admin)
    with mock.patch("safeguarding.core.audit.AuditEvent.objects.create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            client.post(_reset_url(partnership, member))
    assert TOTPDevice.objects.filter(user=member, confirmed=True).exists()


@pytest.mark.django_db
def test_an_admin_resets_only_other_members_of_their_own_partnership(client, partnership, other_partnership):
    admin = factories.person(partnership, Role.ADMIN)
    elsewhere = factories.person(other_partnership, Role.SCRUTINEER)
    nobody = factories.person(None)  # no role anywhere
    factories.sign_in(client, admin)
    for user in (elsewhere, nobody, admin):
        for method in ("get", "post"):
            assert getattr(client, method)(_reset_url(partnership, user)).status_code == 404, (user, method)
    # Another partnership's URL with its own member: 404 too, as for every partnership one is not in.
    assert client.get(_reset_url(other_partnership, elsewhere)).status_code == 404
    assert TOTPDevice.objects.filter(user__in=[elsewhere, nobody, admin]).count() == 3
    assert not AuditEvent.objects.filter(record_type="accounts.user").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SCRUTINEER, Role.AGENCY_LEAD])
def test_the_demo_code_command_gives_a_code_that_signs_in(client, partnership, role):
    import io

    from django.core.management import call_command

    user = factories.person(partnership, role, verified_device=False)
    sign_in_with_password(client, user.email)
    client.get(reverse("accounts:two-factor"))  # the set-up page makes the device
    out = io.StringIO()
    call_command("totp_code", user.email, stdout=out)
    assert client.post(reverse("accounts:two-factor"), {"code": out.getvalue().strip()}).status_code == 302
    assert client.get(f"/p/{partnership.slug}/").status_code == 200


def test_the_two_factor_redirect_keeps_a_query_string_whole(client, partnership):
    """?next= is encoded, so a page address with its own & comes back after the code is given."""
    from urllib.parse import parse_qs, urlparse

    person = factories.person(partnership, Role.ANALYST)
    client.force_login(person)
    wanted = f"/p/{partnership.slug}/returns/1/quality/?rule=8600&format=csv"
    location = client.get(wanted)["Location"]
    assert parse_qs(urlparse(location).query)["next"] == [wanted]


@pytest.mark.django_db
def test_recovery_codes_used_or_replaced_are_in_the_audit_trail(client, partnership):
    from safeguarding.core.models import AuditEvent

    user = factories.person(partnership, Role.SCRUTINEER)
    codes = services.make_recovery_codes(user=user)
    assert not AuditEvent.objects.filter(record_id=str(user.pk)).exists()  # set-up is not an event
    sign_in_with_password(client, user.email)
    assert _recovery(client, codes[0]).status_code == 302
    client.post(reverse("accounts:recovery-codes"), {"next": "/"})
    events = list(AuditEvent.objects.filter(partnership=partnership, record_id=str(user.pk)).order_by("at", "id"))
    assert [e.after["two_factor"] for e in events] == [
        "signed in with a recovery code; 9 left",
        "made 10 new recovery codes; the old ones no longer work"]
    assert all(e.actor == user for e in events)
