"""The test suite: the development settings with a fast password hasher, since tests create and
sign in many staff accounts. Tests of the production configuration start it in a process of its
own."""

import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The registries' stand-ins run on this machine: PubMed's pause between requests only slows tests
# (the test of the pause sets it back).
PUBMED_MIN_INTERVAL = 0
# Documents the tests upload go to a folder of the run's own (tests/conftest.py removes it).
DOCUMENTS_ROOT = Path(tempfile.mkdtemp(prefix="clinic-test-documents-"))
STORAGES["documents"]["OPTIONS"]["location"] = DOCUMENTS_ROOT  # noqa: F405
# The second step at sign-in is on, as in production: the tests prove it (tests/second_factor.py
# passes it for the staff they sign in).
STAFF_SECOND_FACTOR_REQUIRED = True
