"""Signals the articles app sends, for the layers above it to act on."""

from django.dispatch import Signal

# The registries changed what an article shows patients (a notice, a trial's status), without a
# new revision or a publish: args `article`. The page cache forgets the pages showing it.
evidence_recorded = Signal()
