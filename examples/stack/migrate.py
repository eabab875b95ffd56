"""A one-shot migration: writes the API's data file, then exits 0 (or 1 if it cannot)."""
import json
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
target = os.path.join(os.environ.get("STACK_DATA", os.path.join(here, "data")), "items.json")
os.makedirs(os.path.dirname(target), exist_ok=True)
time.sleep(0.3)  # as a real migration would take a moment
with open(target + ".tmp", "w") as out:
    json.dump([{"id": 1, "name": "first"}, {"id": 2, "name": "second"}], out)
os.replace(target + ".tmp", target)
print(f"migrated: {target}", flush=True)
sys.exit(0)
