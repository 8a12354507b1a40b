"""One spelling per mailbox, so that a lookalike of an address can neither open
a second account nor receive another account's mail.

``normalise_email`` is the rule: the forms validate with it, the User model
stores its answer and looks accounts up by it. The canonical form is
email-validator's normalised one (NFKC first, so full-width letters become
plain ones; the domain through IDNA, in its Unicode form), in lower case.

Refused, with a sentence a form can show:

- anything email-validator refuses (syntax, length, reserved domains such as
  ``.test`` or ``localhost``, invisible characters, quoted local parts);
- non-ASCII before the @: delivering there needs SMTPUTF8, which Flasky does
  not use, so such a mail could never leave the outbox;
- a domain label that mixes Latin with Cyrillic or Greek letters, the classic
  lookalike (``exаmple.com`` with a Cyrillic а). Labels written in one script,
  such as ``пример.com`` or ``münchen.de``, are fine.
"""

import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import _

# Scripts whose letters imitate each other; one domain label may use only one.
LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


class EmailAddressError(ValueError):
    """An address Flasky does not accept; ``str(error)`` says why, for a form."""


def normalise_email(address: str) -> str:
    """The canonical form of ``address``; raises EmailAddressError when refused."""
    text = unicodedata.normalize("NFKC", address or "").strip()
    local_part = text.rpartition("@")[0]
    if not local_part.isascii():
        raise EmailAddressError(_(
            "Use an address with only plain letters, digits and punctuation before the @: "
            "mail cannot be delivered to the accented or non-Latin letters in it."))
    try:
        valid = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise EmailAddressError(_("Invalid email address. %(reason)s", reason=error)) from None
    local_part, _at, domain = valid.normalized.rpartition("@")
    for label in domain.split("."):
        _refuse_mixed_scripts(label)
    return f"{local_part.lower()}@{domain}"  # email-validator lowers the domain


def email_lookup_key(address: str) -> str:
    """What to look an account up by: the canonical form, or for an address that
    has none, the text as stored before canonical forms existed (lower case)."""
    try:
        return normalise_email(address)
    except EmailAddressError:
        return (address or "").strip().lower()


def deliverable_address(address: str) -> str:
    """``address`` as SMTP without SMTPUTF8 takes it: the domain in its ASCII
    (IDNA 2008) form. Raises EmailAddressError when that is impossible."""
    if address.isascii():
        return address
    try:
        return validate_email(address, check_deliverability=False, allow_smtputf8=False,
                              globally_deliverable=False).ascii_email
    except EmailNotValidError as error:
        raise EmailAddressError(
            f"{address!r} cannot be sent without SMTPUTF8: {error}") from None


def _script(character: str) -> str | None:
    if not character.isalpha():
        return None
    name = unicodedata.name(character, "")
    return next((script for script in LOOKALIKE_SCRIPTS if name.startswith(script + " ")), None)


def _refuse_mixed_scripts(label: str) -> None:
    scripts = sorted({_script(character) for character in label} - {None},
                     key=LOOKALIKE_SCRIPTS.index)
    if len(scripts) > 1:
        names = " and ".join(script.title() for script in scripts)
        raise EmailAddressError(_(
            "The part after the @ mixes %(scripts)s letters in one word, as lookalikes of "
            "other addresses do. Type the address again in one alphabet.", scripts=names))
