"""validate_configuration.py SCHEMA EXAMPLE DIR: the bank demo's configuration (EXAMPLE) and the
configurations nba saves (DIR) must satisfy the schema, and broken copies must not (so the schema
is not vacuous). Run with Debian's /usr/bin/python3 (python3-jsonschema)."""
import copy
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
checked = 0
documents = {"the example": json.load(open(sys.argv[2]))}
for name in ("bank_saved.json", "built.json"):
    documents[name] = json.load(open(f"{sys.argv[3]}/{name}"))
for name, doc in documents.items():
    errors = list(validator.iter_errors(doc))
    if errors:
        sys.exit(f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}")
    checked += 1

treatment = lambda d: d["issues"][0]["groups"][0]["actions"][0]["treatments"][0]
leaf = lambda d: d["policies"]["rules"][0]["when"]["all"][0]
broken = {
    "wrong version": lambda d: d.update(version=2),
    "misspelt member": lambda d: d["policies"]["selection"].__setitem__("one_per_actoin", True),
    "host member without x-": lambda d: treatment(d).__setitem__("creative", "a.png"),
    "treatment without channel": lambda d: treatment(d).pop("channel"),
    "empty name": lambda d: d["issues"][0].__setitem__("name", ""),
    "negative value": lambda d: d["issues"][0]["groups"][0]["actions"][0].__setitem__("value", -1),
    "unknown direction": lambda d: treatment(d).__setitem__("direction", "sideways"),
    "action without treatments": lambda d: d["issues"][0]["groups"][0]["actions"][0].__setitem__("treatments", []),
    "control group above 1": lambda d: d["policies"]["exploration"].__setitem__("control_group", 1.5),
    "unknown operator": lambda d: leaf(d).__setitem__("op", "=>"),
    "comparison without value": lambda d: leaf(d).pop("value"),
    "fractional max_results": lambda d: d["policies"]["selection"].__setitem__("max_results", 1.5),
    "rule in an unknown stage": lambda d: d["policies"]["rules"][0].__setitem__("stage", "contact"),
}
for what, mutate in broken.items():
    doc = copy.deepcopy(documents["built.json"])
    mutate(doc)
    if validator.is_valid(doc):
        sys.exit(f"the schema accepts a configuration with a {what}")
    checked += 1
# a host's own members are allowed wherever nba reads members
doc = copy.deepcopy(documents["built.json"])
treatment(doc)["x-creative"] = "a.png"
doc["x-owner"] = "marketing"
if not validator.is_valid(doc):
    sys.exit("the schema refuses a host's own members (x-...)")
checked += 1
print(f"{checked} passed, 0 failed")
