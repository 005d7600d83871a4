"""Cleaning the identifiers a citation carries: web address, DOI, PubMed ID and ClinicalTrials.gov ID.

Each function takes what an editor pasted and returns it in its canonical form, or raises
ValidationError with a message that says what a good value looks like.
"""

import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# A DOI is "10." + a registrant code of 4-9 digits + "/" + a suffix (Crossref's recommended pattern).
DOI = re.compile(r"10\.\d{4,9}/\S+")
DOI_URL_PREFIX = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/", re.IGNORECASE)
DOI_LABEL_PREFIX = re.compile(r"^doi:\s*", re.IGNORECASE)
PMID = re.compile(r"[1-9]\d{0,8}")
PMID_PREFIX = re.compile(r"^(?:pmid:?\s*|(?:https?://)?pubmed\.ncbi\.nlm\.nih\.gov/)", re.IGNORECASE)
NCT_ID = re.compile(r"NCT\d{8}")
NCT_ID_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?clinicaltrials\.gov/(?:study|ct2/show)/", re.IGNORECASE)


def normalise_doi(value):
    """'https://doi.org/10.1056/NEJMoa1703327' or 'doi:10.1056/...' -> '10.1056/NEJMoa1703327'."""
    doi = value.strip()
    if DOI_URL_PREFIX.match(doi):
        # Copied from a link, so percent-encoded: "(" arrives as "%28".
        doi = unquote(DOI_URL_PREFIX.sub("", doi))
    doi = DOI_LABEL_PREFIX.sub("", doi)
    if not DOI.fullmatch(doi):
        raise ValidationError(
            "Enter a DOI such as 10.1056/NEJMoa1703327 (a https://doi.org/ link is fine too).",
            code="invalid_doi",
        )
    return doi


def normalise_pmid(value):
    """'PMID: 22236384' or 'https://pubmed.ncbi.nlm.nih.gov/22236384/' -> '22236384'."""
    pmid = PMID_PREFIX.sub("", value.strip()).rstrip("/")
    if not PMID.fullmatch(pmid):
        raise ValidationError("Enter the PubMed ID as digits only, such as 22236384.", code="invalid_pmid")
    return pmid


def normalise_nct_id(value):
    """'nct00114530' or 'https://clinicaltrials.gov/study/NCT00114530' -> 'NCT00114530'."""
    nct_id = NCT_ID_PREFIX.sub("", value.strip()).rstrip("/").upper()
    if not NCT_ID.fullmatch(nct_id):
        raise ValidationError(
            "Enter the ClinicalTrials.gov ID as NCT followed by 8 digits, such as NCT00114530.",
            code="invalid_nct_id",
        )
    return nct_id


WEB_ADDRESS_MESSAGE = "Enter a full web address starting with https:// (or http://)."
# Patients follow these links: nothing but the web's own schemes (no javascript:, data:, ftp:...).
web_address_validator = URLValidator(schemes=["http", "https"], message=WEB_ADDRESS_MESSAGE)
