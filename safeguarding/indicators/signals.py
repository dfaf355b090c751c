"""What the indicators app tells others: its stored figures changed. Sent inside the transaction that saved them,
so a receiver's own writes (the dashboard working its pages out, dashboard/warm.py) commit with them or not at all."""
from django.dispatch import Signal

# las: the authority codes whose stored figures were worked out again.
figures_saved = Signal()
