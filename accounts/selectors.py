from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_totp_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
