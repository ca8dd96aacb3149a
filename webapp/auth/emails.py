"""The texts of the account emails, in the recipient's language (call inside force_locale)."""
from flask_babel import gettext as _


def reset(name: str, link: str, hours: int) -> tuple[str, str]:
    return _("Passerelle: choose a new password"), "\n\n".join([
        _("Hello %(name)s,", name=name),
        _("Someone, probably you, asked to choose a new password for your Passerelle account. "
          "Open this link within %(hours)d hour(s) to choose it (it works once):", hours=hours),
        link,
        _("If you did not ask for it, ignore this email: your password stays as it is."),
    ]) + "\n"


def already(login: str, forgot: str) -> tuple[str, str]:
    return _("Passerelle: you already have an account"), "\n\n".join([
        _("Hello,"),
        _("Someone, probably you, tried to create a Passerelle account with this email address. "
          "It already has an account. Sign in here:"),
        login,
        _("Forgot your password? Choose a new one here:"),
        forgot,
        _("If it was not you, ignore this email."),
    ]) + "\n"


def confirm(name: str, link: str, hours: int) -> tuple[str, str]:
    return _("Passerelle: confirm your email address"), "\n\n".join([
        _("Hello %(name)s,", name=name),
        _("To finish creating your Passerelle account, open this link within %(hours)d hours:", hours=hours),
        link,
        _("If you did not ask for an account, ignore this email: nothing will be created."),
    ]) + "\n"


def handed_over(name: str, issuer: str, login: str) -> tuple[str, str]:
    return _("Passerelle: a password link was made for your account"), "\n\n".join([
        _("Hello %(name)s,", name=name),
        _("%(issuer)s made a one-time link to choose a new password for your Passerelle account. "
          "If you asked your facilitator or an administrator for it, there is nothing to do.", issuer=issuer),
        _("If you did not ask for it, sign in and change your password, then tell an administrator:"),
        login,
    ]) + "\n"
