"""Log records never carry a BSN: any nine-digit number that passes the elfproef is masked."""

import logging
import re

from cases.rules import is_valid_bsn

_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def redact_bsn(text: str) -> str:
    return _NINE_DIGITS.sub(lambda m: "*********" if is_valid_bsn(m.group()) else m.group(), text)


class RedactBsnFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_bsn(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
