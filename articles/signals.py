"""Signals the articles app sends, for the layers above it to act on."""

from django.dispatch import Signal

# The registries changed what an article shows patients (a notice, a trial's status), without a
# new revision or a publish: args `article`. The pages showing it are purged from the cache in front.
evidence_recorded = Signal()

# ClinicalTrials.gov answered a condition page's search for recruiting trials (the list, and its
# date, changed without a new revision of the page): args `condition`. The page is purged from the
# cache in front.
recruiting_trials_recorded = Signal()
