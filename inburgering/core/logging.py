"""Log records never carry a BSN: any nine-digit number that passes the elfproef is masked — in
the message, in the exception text and traceback (an ``IntegrityError`` quotes the row:
``Key (bsn)=(111222333) already exists``) and in the stack info. Digits of other scripts count
too: "١١١٢٢٢٣٣٣" is masked like "111222333"."""

import logging
import re

from .bsn import is_valid_bsn, normalise_bsn

# \d matches any Unicode decimal digit, so Arabic-Indic or full-width digits are found as well.
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def redact_bsn(text: str) -> str:
    return _NINE_DIGITS.sub(
        lambda m: "*********" if is_valid_bsn(normalise_bsn(m.group())) else m.group(), text
    )


class RedactBsnFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_bsn(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # what Formatter.format would write; cached on the record, so every handler's
            # formatter (which reuses exc_text) writes the redacted text
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_bsn(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_bsn(record.stack_info)
        return True


class RedactBsnFormatter(logging.Formatter):
    """Belt and braces for handlers without the filter: the formatted output is redacted too."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_bsn(super().format(record))
