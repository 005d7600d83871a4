"""How plain a page's words are: its reading age and its longest sentences.

NHS England and the Patient Information Forum aim health information at a reading age of 9 to 11.
The reading age is the Flesch-Kincaid grade (a US school grade, from words per sentence and
syllables per word) plus five, the age at which that grade is read. Editors see it in the page
editor (core.panels.ReadingAgePanel) as a warning; it never stops a change.
"""

from dataclasses import dataclass

import textstat
from bs4 import BeautifulSoup

from core.wording import page_html, split_sentences, text_blocks

TARGET_AGES = range(9, 12)
GRADE_TO_AGE = 5
LONGEST_SHOWN = 3


@dataclass(frozen=True)
class LongSentence:
    words: int
    sentence: str


@dataclass(frozen=True)
class ReadingAge:
    age: int
    longest: tuple  # LongSentence, longest first

    @property
    def above_target(self):
        return self.age > TARGET_AGES[-1]


def sentences_of(page):
    soup = BeautifulSoup(page_html(page), "html.parser")
    return [
        sentence for block in text_blocks(soup) or [soup] for sentence in split_sentences(block.get_text())
    ]


def reading_age_of(page):
    """The page's reading age and longest sentences, or None for a page with no words yet."""
    sentences = sentences_of(page)
    if not sentences:
        return None
    # A heading or list item ends its sentence even without a full stop: not counted as the next one's start.
    text = " ".join(sentence if sentence[-1] in ".!?" else f"{sentence}." for sentence in sentences)
    age = round(textstat.flesch_kincaid_grade(text)) + GRADE_TO_AGE
    by_length = sorted(
        (LongSentence(len(sentence.split()), sentence) for sentence in sentences),
        key=lambda long: long.words,
        reverse=True,
    )
    return ReadingAge(age, tuple(by_length[:LONGEST_SHOWN]))
