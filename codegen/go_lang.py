"""Go spellings of model facts, used as Jinja filters by templates/go/.

Only lookups and string assembly, as in c_lang.py: what the rules mean lives
in the contract.
"""
from __future__ import annotations

FILTERS: dict = {}
TESTS: dict = {}
