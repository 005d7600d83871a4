"""What a patient may type into a form's text boxes. Invisible characters that can only be noise, or
a disguise, are refused with a message saying what to do, never taken out silently: the form comes
back with every answer as typed."""

import unicodedata

from django.core.exceptions import ValidationError

# A real person never types control characters, bar line breaks and tabs in a longer answer;
# NUL is already refused by Django's CharField.
ALLOWED_CONTROL_CHARACTERS = "\t\n\r\x00"
# Line breaks as Unicode has them: CR and LF, NEL, and the line and paragraph separators.
LINE_BREAKS = "\r\n\x85\u2028\u2029"
# Marks, embeddings, overrides and isolates that change the order text is shown in: one patient's
# name or message can be made to look like another's on the front desk's screen.
DIRECTION_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FORMAT_CHARACTERS_MESSAGE = (
    "Remove the invisible formatting characters from this answer (such as zero-width spaces or "
    "text direction marks, which can come from copying and pasting), then send it again."
)


def refuse_control_characters(value, allowed=ALLOWED_CONTROL_CHARACTERS):
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        raise ValidationError(
            "Remove the invisible control characters from this answer "
            "(they can come from copying and pasting), then send it again.",
            code="control_characters",
        )


def validate_one_line_answer(value):
    """A name, phone number, e-mail address: one line, without control characters, and without
    format characters either (zero-width spaces and joiners, direction controls, byte order marks),
    which would make two different answers look the same."""
    if any(c in LINE_BREAKS for c in value):
        raise ValidationError(
            "Write this answer on one line: remove the line breaks from it, then send it again.",
            code="line_breaks",
        )
    refuse_control_characters(value, allowed="\x00")
    if any(unicodedata.category(c) == "Cf" for c in value):
        raise ValidationError(FORMAT_CHARACTERS_MESSAGE, code="format_characters")


def validate_longer_answer(value):
    """A message: line breaks and tabs are welcome, and so are the joiners that build an emoji; what
    reorders the text on screen is not."""
    refuse_control_characters(value)
    if any(c in DIRECTION_CONTROLS for c in value):
        raise ValidationError(FORMAT_CHARACTERS_MESSAGE, code="format_characters")
