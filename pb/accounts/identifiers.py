"""Normalising the two ways to log in: an e-mail address or a Kyrgyz phone number."""
import phonenumbers
from email_validator import EmailNotValidError, validate_email


def normalize_email(value):
    """A lower-cased, checked address, or None when it is not one."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def normalize_phone(value):
    """E.164 form (+996555123456) of a Kyrgyz or international number, or None."""
    try:
        number = phonenumbers.parse(value.strip(), "KG")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_login(value):
    """("email", address) or ("phone", number) or (None, None)."""
    value = (value or "").strip()
    if "@" in value:
        email = normalize_email(value)
        return ("email", email) if email else (None, None)
    phone = normalize_phone(value)
    return ("phone", phone) if phone else (None, None)
