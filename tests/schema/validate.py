"""validate.py SCHEMA DIR: the files nba writes must satisfy the schema, and broken copies of them
must not (so the schema is not vacuous). Run with Debian's /usr/bin/python3 (python3-jsonschema)."""
import copy
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
checked = 0
for name in ("adaptive.json", "fixed_bins.json", "model_set.json"):
    doc = json.load(open(f"{sys.argv[2]}/{name}"))
    errors = list(validator.iter_errors(doc))
    if errors:
        sys.exit(f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}")
    checked += 1

model = json.load(open(f"{sys.argv[2]}/adaptive.json"))
broken = {
    "wrong version": lambda d: d.update(version=2),
    "negative count": lambda d: d["predictors"][0]["positives"].__setitem__(0, -1),
    "unknown type": lambda d: d["predictors"][0].__setitem__("type", "text"),
    "adaptive without learning": lambda d: d.pop("learning"),
    "cell off the grid": lambda d: d["learning"]["cells"][0]["numeric"][0].__setitem__(0, 5000),
    "string cut": lambda d: d["predictors"][0]["cuts"].append("7"),
}
for what, mutate in broken.items():
    doc = copy.deepcopy(model)
    mutate(doc)
    if validator.is_valid(doc):
        sys.exit(f"the schema accepts a model with a {what}")
    checked += 1
print(f"{checked} passed, 0 failed")
