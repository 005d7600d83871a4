"""Wording that promises more than the evidence for an experimental therapy supports.

The vocabulary is below, in one place: each kind of claim, with the advice editors see for it, lists
its wordings, each with the public source that names that kind of claim: the FTC's actions against
stem cell clinics and its guidance on health claims, the FDA's consumer information on regenerative
medicine therapies, and the ISSCR's guidance for patients. The client's own overclaims ("was improved
after the transplantation", "leads to a recovery", "potential to repair", "resetting of the immune
system", "could lead to autoimmune disease remission", "a therapeutic benefit … may be seen") are
kinds those sources name, and tests/test_wording.py holds them and a held-out list of sentences the
vocabulary was not written from.

A sentence is flagged once, under the first kind of claim (in the order below) it makes, unless the
claim is taken back in its own clause: negated before it ("no study has shown that MSCs reverse MS"),
asked about ("ask whether the trial is registered with ClinicalTrials.gov"), warned about ("be wary
of clinics that promise remission") or disclaimed after it ("being FDA-registered is not the same as
approval"). The checker only points sentences out to editors and reviewers; it never blocks a change.

Editors see the flagged sentences in the page editor's "Wording to check" panel (core.panels),
each in words with a link to its field or block, and highlighted in the preview (see `mark_claims`);
reviewers see them in the approval dialog and in the review-due report. Wagtail's Checks panel does
not list them: it could name a sentence only by a CSS selector (issue #29).
"""

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString
from django.utils.html import escape
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.fields import RichTextField

# The public sources the vocabulary comes from.
FTC_HEALTH_PRODUCTS = "FTC Health Products Compliance Guidance (2022)"
FTC_ENDORSEMENTS = (
    "FTC Guides Concerning the Use of Endorsements and Testimonials in Advertising (16 CFR Part 255)"
)
FTC_REGENERATIVE_MEDICAL_GROUP = (
    "FTC v. Regenerative Medical Group, Inc., Telehealth Medical Group, Inc. and Bryn Jarald Henderson (2018)"
)
FTC_STEM_CELL_INSTITUTE = (
    "FTC and State of Georgia v. Regenerative Medicine Institute of America "
    "(Stem Cell Institute of America), Peyroux and Detelich (2021)"
)
FDA_CONSUMER_UPDATE = (
    "FDA consumer update 'Important Patient and Consumer Information About Regenerative Medicine Therapies'"
)
ISSCR_PATIENTS = (
    "ISSCR Patient Handbook on Stem Cell Therapies / 'Nine things to know about stem cell treatments'"
)


@dataclass(frozen=True)
class Wording:
    source: str
    patterns: tuple  # regular expressions, matched as whole words, case-insensitively


@dataclass(frozen=True)
class ClaimKind:
    key: str
    name: str  # what the Wording panel and the preview call the problem
    advice: str  # what the Wording panel tells the editor to do
    wordings: tuple

    @property
    def words(self):
        return tuple(pattern for wording in self.wordings for pattern in wording.patterns)


GAP = r"(?:[\w’'-]+\s+){0,3}?"  # up to three words between the parts of a claim
MEDICINES = (
    r"(?:surger(?:y|ies)|operations?|(?:joint|knee|hip)\s+replacements?|medications?|medicines?|drugs?"
    r"|painkillers|pain\s+killers|steroids|immunosuppressants?|DMARDs?|methotrexate|biologics|chemotherapy)"
)
HOW_MANY = (
    r"(?:\d+(?:\.\d+)?\s?(?:%|per\s?cent)"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|\d+)\s+(?:out\s+)?(?:of|in)\s+(?:every\s+)?(?:ten|10|five|5|four|4|three|3))"
)
COUNT = (
    r"(?:(?:over|more\s+than|nearly|almost|about|around|some)\s+)?"
    r"(?:\d[\d,.]*\+?|thousands|hundreds|dozens|countless|scores)"
)
PEOPLE = r"(?:of\s+)?(?:our\s+|satisfied\s+|happy\s+|grateful\s+)?(?:patients|people|clients|families|lives)"

CLAIM_KINDS = (
    ClaimKind(
        "cure",
        "Promises a cure",
        "No stem cell treatment cures these conditions: say what studies measured instead.",
        (Wording(FTC_REGENERATIVE_MEDICAL_GROUP, (r"cur(?:e|es|ed|ing|ative)", r"cure-all")),),
    ),
    ClaimKind(
        "remission",
        "Promises remission",
        "Remission after stem cells has been reported only for some people in some studies: say who, "
        "how many and for how long, or remove it.",
        (
            Wording(
                FTC_REGENERATIVE_MEDICAL_GROUP,
                (
                    r"(?:achiev|induc|reach|enter|sustain|maintain|attain)\w*\s+" + GAP + r"remissions?",
                    r"(?:lead|leads|led|leading|result\w*|bring\w*|brought|put\w*|go|goes|going|gone|went)\s+"
                    + GAP
                    + r"(?:to|in|about|into)\s+"
                    + GAP
                    + r"remissions?",
                    r"(?:complete|full|stable|lasting|long[- ]lasting|long[- ]term|permanent|sustained|durable"
                    r"|drug[- ]free|medication[- ]free|treatment[- ]free)\s+remissions?",
                    r"remission\s+rates?",
                    r"(?:now|still)\s+in\s+remission",
                    r"(?:disease|symptom)[- ]free",
                ),
            ),
        ),
    ),
    ClaimKind(
        "progression",
        "Claims to stop the disease progressing",
        "No stem cell treatment has been shown to halt or slow these conditions: say what studies "
        "measured, in whom, or remove it.",
        (
            Wording(
                FTC_REGENERATIVE_MEDICAL_GROUP,
                (
                    r"(?:(?:halt|arrest|slow|block|stall|curb)(?:s|ed|ing)?|stop(?:s|ped|ping)?"
                    r"|(?:delay|prevent|avoid)(?:s|ed|ing)?|freez(?:e|es|ing)|froze|reduc(?:e|es|ed|ing))\s+"
                    + GAP
                    + r"(?:progress(?:ion|ing|es)?|advanc(?:e|es|ing)|worsening|deteriorat(?:ion|ing))",
                    r"progression\s+" + GAP + r"(?:halted|stopped|arrested|slowed|delayed|prevented|frozen)",
                    r"(?:stop|keep|prevent)\w*\s+" + GAP + r"(?:from\s+)?(?:getting|becoming)\s+worse",
                    r"in\s+its\s+tracks",
                ),
            ),
        ),
    ),
    ClaimKind(
        "undo",
        "Promises to undo the disease",
        "Reversing, repairing, restoring, regenerating or resetting is unproven: qualify or remove it.",
        (
            Wording(
                ISSCR_PATIENTS,
                (
                    r"revers(?:e|es|ed|ing|al)",
                    r"repair(?:s|ed|ing)?",
                    r"restor(?:e|es|ed|ing|ation)",
                    r"regenerat(?:e|es|ed|ing|ion)",
                    r"regr(?:ow|ows|own|owing|ew)",
                    r"rebuil(?:d|ds|ding|t)",
                    r"reset(?:s|ting)?",
                    r"reboot(?:s|ed|ing)?",
                ),
            ),
        ),
    ),
    ClaimKind(
        "function",
        "Promises regained function",
        "Say what studies measured (walking distance, grip, a disability score), in whom, and how "
        "far it changed, or remove it.",
        (
            Wording(
                FTC_REGENERATIVE_MEDICAL_GROUP,
                (
                    r"regain(?:s|ed|ing)?",
                    r"(?:walk|see|talk|speak|run|move|hear|work|drive|dance|climb|write|stand)\w*\s+"
                    + GAP
                    + r"again",
                    r"recover\w*\s+(?:of\s+|in\s+)?"
                    + GAP
                    + r"(?:functions?|mobility|movement|abilit(?:y|ies)|independence|strength|sight|vision"
                    r"|speech|sensation)",
                    r"(?:get|got|gets|getting|give|gives|gave|giving)\s+"
                    + GAP
                    + r"(?:life|lives|mobility|independence|function|movement|strength|sight|vision|energy)\s+back",
                    r"return\s+of\s+(?:\w+\s+)?(?:function|mobility|movement|sensation|sight|vision|speech)",
                    r"back\s+to\s+(?:normal|full\s+(?:health|function|strength|fitness|mobility))",
                    r"(?:the\s+)?(?:blind|deaf|crippled|paralysed|paralyzed)\s+(?:can\s+)?(?:see|hear|walk|move)",
                ),
            ),
        ),
    ),
    ClaimKind(
        "heal",
        "Promises healing or rejuvenation",
        "Healing and rejuvenating are promises no study supports here: say what was measured or remove it.",
        (
            Wording(
                FTC_HEALTH_PRODUCTS,
                (
                    r"heal(?:s|ed|ing)?",
                    r"rejuvenat(?:e|es|ed|ing|ion|ive)",
                    r"revitali[sz](?:e|es|ed|ing|ation)",
                    r"anti[- ]ag(?:e|ing|eing)",
                    r"turn(?:s|ed|ing)?\s+back\s+the\s+clock",
                ),
            ),
        ),
    ),
    ClaimKind(
        "alternative",
        "Promises to spare surgery or medicines",
        "No study shows stem cells replace surgery or medicines for these conditions: patients should "
        "not stop treatment on the strength of this page. Remove it.",
        (
            Wording(
                FTC_STEM_CELL_INSTITUTE,
                (
                    r"(?:avoid\w*|skip\w*|without|instead\s+of|alternatives?\s+to|replac(?:e|es|ed|ing)"
                    r"|(?:no\s+longer|never)\s+(?:again\s+)?(?:need|needs|needed|require\w*|tak\w+|on)"
                    r"|(?:no|less|reduc\w+|eliminat\w+|end\w*|remov\w+)\s+(?:\w+\s+)?need\s+(?:for|of|to\s+take)"
                    r"|(?:come|came|coming|get|got|getting|wean\w*|stay\w*)\s+off)\s+" + GAP + MEDICINES,
                    r"(?:non[- ]?surgical|drug[- ]free)\s+alternatives?",
                    r"(?:drug|medication|medicine|steroid|surgery)[- ]free",
                ),
            ),
        ),
    ),
    ClaimKind(
        "safety",
        "Claims it is safe",
        "Every treatment has risks, and these are unknown for unapproved stem cell products: say what "
        "studies found and what is not known.",
        (
            Wording(
                FDA_CONSUMER_UPDATE,
                (
                    r"safe\s+and\s+(?:effective|proven|natural)",
                    r"(?:effective|proven|natural)\s+and\s+safe",
                ),
            ),
            Wording(
                ISSCR_PATIENTS,
                (
                    r"(?:completely|totally|perfectly|entirely|absolutely|100\s?%|extremely|very|exceptionally"
                    r"|proven|inherently)\s+safe",
                    r"(?:is|are)\s+(?:(?:generally|quite)\s+)?safe(?!\s+(?:enough|to)\b)",
                    r"safest",
                    r"no\s+(?:known\s+|serious\s+|real\s+|significant\s+|major\s+)?(?:risks?|dangers?)",
                    r"without\s+(?:any\s+)?(?:risks?|dangers?)",
                    r"zero\s+risk",
                    r"risks?\s+(?:is|are)\s+(?:minimal|negligible|non[- ]existent|virtually\s+(?:zero|nil|none))",
                    r"safe\s+for\s+(?:everyone|all|anyone|every)",
                ),
            ),
        ),
    ),
    ClaimKind(
        "rate",
        "Claims a success rate",
        "A success rate or share of patients helped needs the study behind it: name it, with how many "
        "took part and what was measured, or remove it.",
        (
            Wording(
                FTC_HEALTH_PRODUCTS,
                (
                    r"success\s+rates?",
                    r"improvement\s+rates?",
                    HOW_MANY + r"\s+(?:reduction|improvement|decrease|drop|fewer|less|better)",
                    HOW_MANY
                    + r"\s+(?:of\s+)?(?:our\s+|all\s+|treated\s+)?(?:patients|people|clients|cases|participants)\s+"
                    + GAP
                    + r"(?:improv\w*|respond\w*|benefit\w*|better|helped|satisfied|success\w*|relief|less"
                    r"|recover\w*|regain\w*)",
                    r"(?:effective|successful|success|improvements?|benefits?|helps|helped)\s+(?:for|in)\s+"
                    r"(?:over\s+|more\s+than\s+|up\s+to\s+|nearly\s+|almost\s+)?" + HOW_MANY,
                ),
            ),
        ),
    ),
    ClaimKind(
        "testimonial",
        "Counts patients helped",
        "How many people a clinic has treated, and their stories, are not evidence that a treatment "
        "works: remove it or cite the study.",
        (
            Wording(
                FTC_ENDORSEMENTS,
                (
                    COUNT
                    + r"\s+"
                    + PEOPLE
                    + r"\s+"
                    + GAP
                    + r"(?:helped|benefit\w*|improv\w*|recover\w*|transform\w*|better|successfully)",
                    r"(?:helped|transformed|changed)\s+(?:the\s+lives\s+of\s+)?" + COUNT + r"\s+" + PEOPLE,
                    r"(?:we|our\s+\w+)\s+(?:\w+\s+){0,2}treated\s+" + COUNT,
                ),
            ),
            Wording(
                ISSCR_PATIENTS, (r"success\s+stor(?:y|ies)", r"testimonials?", r"life[- ]changing\s+results?")
            ),
        ),
    ),
    ClaimKind(
        "benefit",
        "Claims a benefit",
        "Say who was studied, how many, and how far the finding goes, or cite the trial.",
        (
            Wording(
                FTC_HEALTH_PRODUCTS,
                (
                    r"improve(?:s|d|ment|ments)?",
                    r"improving",
                    r"recover(?:s|ed|y|ies)?",
                    r"alleviat(?:e|es|ed|ing)",
                    r"(?:therapeutic|clinical|significant|meaningful|real|lasting|measurable|dramatic|major)\s+benefits?",
                    r"(?:is|are|was|were|be|been|proven|highly|very|extremely|an?|most)\s+effective",
                ),
            ),
        ),
    ),
    ClaimKind(
        "certainty",
        "Promises certainty",
        "Nothing in medicine is proven, guaranteed or free of side effects: qualify the claim.",
        (
            Wording(
                FTC_HEALTH_PRODUCTS,
                (
                    r"(?:clinically\s+)?proven",
                    r"guarantee(?:s|d)?",
                    r"risk[- ]free",
                    r"no\s+side[- ]effects",
                    r"100\s?%",
                ),
            ),
            Wording(ISSCR_PATIENTS, (r"miracle(?:s)?",)),
        ),
    ),
    ClaimKind(
        "approval",
        "Claims regulatory approval",
        "No stem cell treatment is approved for these conditions: check the treatment status notice.",
        (
            Wording(
                FDA_CONSUMER_UPDATE,
                (
                    r"FDA[- ]approved",
                    r"FDA\s+approval",
                    r"approved\s+by\s+the\s+(?:US\s+|U\.S\.\s+)?(?:FDA|Food\s+and\s+Drug\s+Administration)",
                ),
            ),
        ),
    ),
    ClaimKind(
        "legitimacy",
        "Offers registration as proof",
        "Registering with the FDA or listing a study on ClinicalTrials.gov is not approval and says "
        "nothing about whether a treatment works: remove it, or say plainly what it does not mean.",
        (
            Wording(
                FDA_CONSUMER_UPDATE,
                (
                    r"FDA[- ](?:registered|compliant|cleared|listed|certified|licensed|sanctioned|endorsed)",
                    r"FDA\s+(?:registered|compliant)",
                    r"(?:registered|listed|certified|licensed)\s+(?:with|by)\s+(?:the\s+)?(?:US\s+|U\.S\.\s+)?"
                    r"(?:FDA|Food\s+and\s+Drug\s+Administration)",
                    r"(?:compliant|complies|comply|compliance)\s+with\s+(?:all\s+)?(?:the\s+)?"
                    r"(?:FDA|Food\s+and\s+Drug\s+Administration)",
                    r"(?:meets|meet|follows|follow)\s+(?:all\s+)?FDA\s+(?:standards|requirements|guidelines|regulations)",
                    r"(?:registered|listed)\s+(?:with|on|at|in)\s+ClinicalTrials\.gov",
                    r"ClinicalTrials\.gov[- ](?:registered|listed)",
                ),
            ),
        ),
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in CLAIM_KINDS}

CLAIM_PATTERNS = [
    (kind, re.compile(r"(?<![\w.])(?:" + "|".join(kind.words) + r")(?!\w)", re.IGNORECASE))
    for kind in CLAIM_KINDS
]
# A negation earlier in the same clause takes the claim back: "there is no evidence that it cures";
# so does asking or warning about it: "ask whether the trial is registered", "be wary of clinics
# that promise remission".
TAKEN_BACK_BEFORE = re.compile(
    r"\b(?:no|not|never|cannot|without|nor|neither|none|nothing|\w+n[’']t"
    r"|whether|if|wary|beware|cautious|red\s+flags?|warning\s+signs?)\b",
    re.IGNORECASE,
)
# What follows the claim in its clause can disclaim it: "being FDA-registered is not the same as
# approval", "a listing on ClinicalTrials.gov does not mean the FDA reviewed it".
DISCLAIMED_AFTER = re.compile(
    r"\b(?:is|are|was|were|does|do|did)\s*(?:not|n[’']t)\s+(?:\w+\s+){0,2}?"
    r"(?:mean|means|imply|implies|proof|evidence|approval|a\s+sign|the\s+same|an?\s+endorsement)\b",
    re.IGNORECASE,
)
# "Yet" joins clauses, except as an adverb: "research has not yet shown that it is safe".
CLAUSE_BREAK = re.compile(
    r"[,;:()–—]|\b(?:but|however|although|though|whereas|while)\b"
    r"|(?<!\bnot\s)(?<!n[’']t\s)(?<!\bhas\s)(?<!\bhave\s)(?<!\bhad\s)(?<!\bas\s)\byet\b",
    re.IGNORECASE,
)
# A sentence ends at . ! or ? followed by a space and what starts a sentence, but not at an
# abbreviation: "the U.S. Food and Drug Administration", "Dr. Okafor".
SENTENCE_END = re.compile(
    r"(?<!\bU\.S\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)"
    r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9“\"‘(])"
)
BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "td", "th", "dd", "dt",
    "caption", "div", "section", "article", "ul", "ol", "dl", "table", "tr", "tbody", "thead", "figure",
}  # fmt: skip
CLAIM_ATTRIBUTE = "data-health-claim"
CLAIM_NAME_ATTRIBUTE = (
    "data-health-claim-name"  # the kind's name, which the preview shows before the sentence
)


@dataclass(frozen=True)
class FlaggedSentence:
    sentence: str
    kind: ClaimKind
    words: tuple  # the claim words as written


def split_sentences(text):
    return [sentence.strip() for sentence in SENTENCE_END.split(" ".join(text.split())) if sentence.strip()]


def is_taken_back(sentence, start, end):
    before = CLAUSE_BREAK.split(sentence[:start])[-1]
    after = CLAUSE_BREAK.split(sentence[end:])[0]
    return bool(TAKEN_BACK_BEFORE.search(before) or DISCLAIMED_AFTER.search(after))


def claims_in(sentence):
    """The kind of the sentence's first claim not taken back, and every claim word it uses, or None."""
    found = []
    for kind, pattern in CLAIM_PATTERNS:
        for match in pattern.finditer(sentence):
            if not is_taken_back(sentence, match.start(), match.end()):
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


@dataclass(frozen=True)
class PlacedFlag:
    flag: FlaggedSentence
    place: (
        str  # where the sentence is, in the editor's words: "Summary", "Risks and side effects › Paragraph"
    )
    anchor: str  # the id of that field or block in the page editor's form


def field_anchor(name):
    """The id Wagtail gives a field's panel on the editor's first tab."""
    return f"panel-child-content-{name}-section"


def block_anchor(block_id):
    """The id Wagtail's page editor gives a StreamField block, however deep it sits."""
    return f"block-{block_id}-section"


def flags_in_blocks(stream, place):
    """The flagged sentences of a StreamField value, each with the block that holds it: a
    section's own text under the section, its stream's blocks each under themselves."""
    placed = []
    for child in stream:
        label = f"{place} › {child.block.label}" if place else str(child.block.label)
        value = child.value
        parts = list(value.values()) if isinstance(value, dict) else []
        streams = [part for part in parts if isinstance(part, blocks.StreamValue)]
        if not streams:
            placed += [
                PlacedFlag(flag, label, block_anchor(child.id)) for flag in flag_html(str(child.render()))
            ]
            continue
        for part in parts:
            if isinstance(part, str) and part.strip():
                placed += [PlacedFlag(flag, label, block_anchor(child.id)) for flag in flag_sentences(part)]
        for part in streams:
            placed += flags_in_blocks(part, label)
    return placed


def flagged_places_of(page):
    """The page's flagged sentences in the order the editor's form holds them, each with its place
    (the field, or the block in the body) and the anchor that leads there in the editor."""
    placed = [PlacedFlag(flag, "Title", field_anchor("title")) for flag in flag_sentences(page.title)]
    for field in ("summary", "introduction"):
        value = getattr(page, field, "")
        if value:
            model_field = page._meta.get_field(field)
            html = str(value) if isinstance(model_field, RichTextField) else f"<p>{escape(value)}</p>"
            label = capfirst(model_field.verbose_name)
            placed += [PlacedFlag(flag, label, field_anchor(field)) for flag in flag_html(html)]
    return placed + flags_in_blocks(getattr(page, "body", None) or [], "")


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
                    block[CLAIM_NAME_ATTRIBUTE] = flag.kind.name
                continue
            before, after = str(node)[: match.start()], str(node)[match.end() :]
            span = soup.new_tag(
                "span", attrs={CLAIM_ATTRIBUTE: flag.kind.key, CLAIM_NAME_ATTRIBUTE: flag.kind.name}
            )
            span.string = match.group(0)
            node.replace_with(NavigableString(before), span, NavigableString(after))
    return str(soup)
