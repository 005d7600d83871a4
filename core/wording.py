"""Wording that promises more than the evidence for an experimental therapy supports.

The vocabulary follows the FTC's guidance on health claims (cure, treat or prevent claims, "proven",
"guaranteed", "no side effects", unqualified "100%") and the ISSCR's warning signs of unproven stem
cell treatments (promises to reverse, repair, restore, regenerate or reset the immune system,
"miracle", claimed FDA approval), and catches the client's own overclaims ("was improved after the
transplantation", "leads to a recovery", "potential to repair", "resetting of the immune system").

A sentence is flagged once, under the first kind of claim it makes, unless the claim is negated
in its own clause ("no study has shown that MSCs reverse MS" is honest). The checker only points
sentences out to editors and reviewers; it never blocks a change.

Editors see the flagged sentences in the page editor's Checks panel (the preview marks them, see
`mark_claims`, and a rule of Wagtail's content checker lists them); reviewers see them in the
approval dialog and in the review-due report.
"""

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString
from django.utils.html import escape
from wagtail.fields import RichTextField


@dataclass(frozen=True)
class ClaimKind:
    key: str
    name: str  # what the checker calls the problem
    advice: str
    words: tuple  # regular expressions, matched as whole words, case-insensitively


CLAIM_KINDS = (
    ClaimKind(
        "cure",
        "Promises a cure",
        "No stem cell treatment cures these conditions: say what studies measured instead.",
        (r"cur(?:e|es|ed|ing|ative)", r"cure-all"),
    ),
    ClaimKind(
        "undo",
        "Promises to undo the disease",
        "Reversing, repairing, restoring, regenerating or resetting is unproven: qualify or remove it.",
        (
            r"revers(?:e|es|ed|ing|al)",
            r"repair(?:s|ed|ing)?",
            r"restor(?:e|es|ed|ing|ation)",
            r"regenerat(?:e|es|ed|ing|ion)",
            r"reset(?:s|ting)?",
            r"reboot(?:s|ed|ing)?",
        ),
    ),
    ClaimKind(
        "benefit",
        "Claims a benefit",
        "Say who was studied, how many, and how far the finding goes, or cite the trial.",
        (r"improve(?:s|d|ment|ments)?", r"improving", r"recover(?:s|ed|y|ies)?"),
    ),
    ClaimKind(
        "certainty",
        "Promises certainty",
        "Nothing in medicine is proven, guaranteed or free of side effects: qualify the claim.",
        (
            r"(?:clinically\s+)?proven",
            r"guarantee(?:s|d)?",
            r"risk[- ]free",
            r"no\s+side[- ]effects",
            r"100\s?%",
            r"miracle(?:s)?",
        ),
    ),
    ClaimKind(
        "approval",
        "Claims regulatory approval",
        "No stem cell treatment is approved for these conditions: check the treatment status notice.",
        (
            r"FDA[- ]approved",
            r"approved\s+by\s+the\s+(?:US\s+|U\.S\.\s+)?(?:FDA|Food\s+and\s+Drug\s+Administration)",
        ),
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in CLAIM_KINDS}

CLAIM_PATTERNS = [
    (kind, re.compile(r"(?<![\w.])(?:" + "|".join(kind.words) + r")(?!\w)", re.IGNORECASE))
    for kind in CLAIM_KINDS
]
# A negation earlier in the same clause takes the claim back: "there is no evidence that it cures".
NEGATION = re.compile(
    r"\b(?:no|not|never|cannot|without|nor|neither|none|nothing|\w+n[’']t)\b", re.IGNORECASE
)
CLAUSE_BREAK = re.compile(r"[,;:()–—]|\b(?:but|however|although|though|yet|whereas|while)\b", re.IGNORECASE)
# A sentence ends at . ! or ? followed by a space and what starts a sentence.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9“\"‘(])")
BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "td", "th", "dd", "dt",
    "caption", "div", "section", "article", "ul", "ol", "dl", "table", "tr", "tbody", "thead", "figure",
}  # fmt: skip
CLAIM_ATTRIBUTE = "data-health-claim"


@dataclass(frozen=True)
class FlaggedSentence:
    sentence: str
    kind: ClaimKind
    words: tuple  # the claim words as written


def split_sentences(text):
    return [sentence.strip() for sentence in SENTENCE_END.split(" ".join(text.split())) if sentence.strip()]


def is_negated(sentence, start):
    clause = CLAUSE_BREAK.split(sentence[:start])[-1]
    return bool(NEGATION.search(clause))


def claims_in(sentence):
    """The kind of the sentence's first unnegated claim and every claim word it uses, or None."""
    found = []
    for kind, pattern in CLAIM_PATTERNS:
        for match in pattern.finditer(sentence):
            if not is_negated(sentence, match.start()):
                found.append((match.start(), kind, match.group(0)))
    if not found:
        return None
    found.sort(key=lambda claim: claim[0])
    first_kind = min((kind for _, kind, _ in found), key=CLAIM_KINDS.index)
    return first_kind, tuple(dict.fromkeys(word for _, _, word in found))


def flag_sentences(text):
    flagged = []
    for sentence in split_sentences(text):
        claims = claims_in(sentence)
        if claims:
            flagged.append(FlaggedSentence(sentence, *claims))
    return flagged


def text_blocks(soup):
    """Elements holding running text with no block inside them: paragraphs, list items, headings..."""
    return [
        element
        for element in soup.find_all(BLOCK_TAGS)
        if element.find(BLOCK_TAGS) is None and element.get_text().strip()
    ]


def flag_html(html):
    """Flagged sentences of an HTML fragment, paragraph by paragraph."""
    soup = BeautifulSoup(html, "html.parser")
    blocks = text_blocks(soup) or [soup]
    return [flag for block in blocks for flag in flag_sentences(block.get_text())]


def page_html(page):
    """What an editor wrote on the page, as the HTML patients read: title, summary or
    introduction, and body."""
    parts = [f"<h1>{escape(page.title)}</h1>"]
    for field in ("summary", "introduction"):
        value = getattr(page, field, "")
        if value:
            rich_text = isinstance(page._meta.get_field(field), RichTextField)
            parts.append(str(value) if rich_text else f"<p>{escape(value)}</p>")
    parts += [str(block.render()) for block in getattr(page, "body", None) or []]
    return "".join(parts)


def flagged_sentences_of(page):
    return flag_html(page_html(page))


def mark_claims(html):
    """The fragment with each flagged sentence marked for the content checker: wrapped in
    <span data-health-claim="kind"> when it lies in one piece of text, else its paragraph marked."""
    soup = BeautifulSoup(html, "html.parser")
    for block in text_blocks(soup) or [soup]:
        for flag in flag_sentences(block.get_text()):
            # The sentence as written, whatever whitespace the HTML has between its words.
            written = re.compile(r"\s+".join(map(re.escape, flag.sentence.split())))
            found = ((text, written.search(str(text))) for text in block.find_all(string=True))
            node, match = next(((text, match) for text, match in found if match), (None, None))
            if node is None:
                if block is not soup and not block.has_attr(CLAIM_ATTRIBUTE):
                    block[CLAIM_ATTRIBUTE] = flag.kind.key
                continue
            before, after = str(node)[: match.start()], str(node)[match.end() :]
            span = soup.new_tag("span", attrs={CLAIM_ATTRIBUTE: flag.kind.key})
            span.string = match.group(0)
            node.replace_with(NavigableString(before), span, NavigableString(after))
    return str(soup)
