#!/usr/bin/env python3
"""Check that infra/template.yaml deploys exactly the functions the code
declares, and that `make lambdas` built their one binary.

The functions come from `sejour functions` (one JSON document, derived from
the endpoint table shared/src/api/endpoints.rs): each has a name, a trigger
(http, sqs, s3, schedule) and its HTTP routes. The binary run is $SEJOUR_BIN,
by default $CARGO_TARGET_DIR/debug/sejour (./target by default);
`--functions FILE` reads the same document from a file instead.

- every AWS::Serverless::Function has Environment.Variables.SEJOUR_FUNCTION,
  a listed name that no other function uses, and the FunctionName
  !Sub "${AWS::StackName}-<name>";
- every listed function has exactly one function in the template;
- its code is the folder of the bootstrap (CodeUri, its own or the Globals');
- its events are those of its trigger: an http function's HttpApi events
  (Method, Path) are exactly its routes, on an HttpApi of the template; an
  sqs one has an SQS event; an s3 one is notified by a bucket of the template
  (NotificationConfiguration) that a Lambda permission lets S3 invoke it (or
  has an S3 event); a schedule one has a Schedule or ScheduleV2 event. The
  binary runs the handler of SEJOUR_FUNCTION's trigger only, so a function
  has no event of another kind and no bucket notifies a function that is not
  an s3 one;
- the bootstrap (build/lambda/bootstrap, or --bootstrap PATH) is an arm64
  (aarch64) ELF executable.

Usage: check-lambdas.py [--functions FILE] [--bootstrap PATH] [template]
(from anywhere; paths default to the repository's).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml  # comes with cfn-lint in .venv


class Loader(yaml.SafeLoader):
    """Reads CloudFormation YAML; short-form tags become their long form
    (`!Sub "x"` is {"Fn::Sub": "x"}, `!GetAtt A.Arn` is {"Fn::GetAtt": ["A", "Arn"]})."""


def _intrinsic(loader, suffix, node):
    key = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {key: value}


Loader.add_multi_constructor("!", _intrinsic)

ELF_MACHINE_AARCH64 = 183
TRIGGERS = ("http", "sqs", "s3", "schedule")
# The event types each trigger's handler can receive.
EVENT_TYPES = {
    "http": {"HttpApi"},
    "sqs": {"SQS"},
    "s3": {"S3"},
    "schedule": {"Schedule", "ScheduleV2"},
}


def load_functions(args, root: Path) -> list:
    """The `functions` list of `sejour functions`, checked for shape; raises ValueError."""
    if args.functions:
        source = args.functions
        text = Path(source).read_text(encoding="utf-8")
    else:
        target = Path(os.environ.get("CARGO_TARGET_DIR") or root / "target")
        binary = os.environ.get("SEJOUR_BIN") or str(target / "debug" / "sejour")
        source = f"`{binary} functions`"
        try:
            run = subprocess.run([binary, "functions"], capture_output=True, text=True, timeout=60)
        except OSError as e:
            raise ValueError(f"cannot run {source}: {e} (cargo build -p sejour-cli)") from e
        if run.returncode != 0:
            raise ValueError(f"{source} exited with {run.returncode}: {run.stderr.strip()}")
        text = run.stdout
    try:
        functions = json.loads(text)["functions"]
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"{source}: not a {{\"functions\": [...]}} JSON document ({e})") from e
    if not isinstance(functions, list):
        raise ValueError(f"{source}: `functions` is not a list")
    for f in functions:
        ok = (
            isinstance(f, dict)
            and isinstance(f.get("name"), str)
            and f["name"]
            and f.get("trigger") in TRIGGERS
            and isinstance(f.get("routes"), list)
            and all(
                isinstance(r, dict) and isinstance(r.get("method"), str) and isinstance(r.get("path"), str)
                for r in f["routes"]
            )
        )
        if not ok:
            raise ValueError(
                f"{source}: malformed function {json.dumps(f)} (name, trigger one of {', '.join(TRIGGERS)}, "
                "routes of method and path)"
            )
    return functions


def ref_target(value):
    """The logical id named by {"Ref": id} or {"Fn::GetAtt": [id, ...]}, else None."""
    if isinstance(value, dict) and len(value) == 1:
        if isinstance(value.get("Ref"), str):
            return value["Ref"]
        att = value.get("Fn::GetAtt")
        if isinstance(att, list) and att and isinstance(att[0], str):
            return att[0]
    return None


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("template", nargs="?", default=root / "infra" / "template.yaml", type=Path)
    parser.add_argument("--functions", metavar="FILE", help="read the `sejour functions` JSON from FILE")
    parser.add_argument(
        "--bootstrap", metavar="PATH", type=Path, default=root / "build" / "lambda" / "bootstrap",
        help="the built binary (default: build/lambda/bootstrap)",
    )
    args = parser.parse_args()

    try:
        functions = load_functions(args, root)
        template = yaml.load(args.template.read_text(encoding="utf-8"), Loader=Loader) or {}
    except (OSError, ValueError, yaml.YAMLError) as e:
        print(f"check-lambdas: {e}", file=sys.stderr)
        return 1
    resources = template.get("Resources") or {}
    globals_code = ((template.get("Globals") or {}).get("Function") or {}).get("CodeUri")

    errors = []
    listed = {}
    for f in functions:
        if f["name"] in listed:
            errors.append(f"`sejour functions` lists {f['name']} twice")
        listed[f["name"]] = f
    route_owner = {}
    for f in functions:
        for r in f["routes"]:
            route = (r["method"].upper(), r["path"])
            if route_owner.setdefault(route, f["name"]) != f["name"]:
                errors.append(f"`sejour functions` gives {route[0]} {route[1]} to {route_owner[route]} and {f['name']}")

    # Functions that S3 notifications invoke, and those S3 may invoke (Lambda permissions).
    notified = {}
    s3_may_invoke = set()
    for logical, resource in resources.items():
        props = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::S3::Bucket":
            for config in (props.get("NotificationConfiguration") or {}).get("LambdaConfigurations") or []:
                target = ref_target(config.get("Function"))
                if target:
                    notified.setdefault(target, []).append(logical)
        elif resource.get("Type") == "AWS::Lambda::Permission" and props.get("Principal") == "s3.amazonaws.com":
            target = ref_target(props.get("FunctionName"))
            if target:
                s3_may_invoke.add(target)

    # Every function deploys the folder of the bootstrap (CodeUri is relative to the template).
    code_dir = args.bootstrap.resolve().parent

    def is_code_dir(code) -> bool:
        return isinstance(code, str) and (args.template.resolve().parent / code).resolve() == code_dir

    uses_globals_code = False
    deployed = {}  # short name -> logical id
    routes_seen = {}  # (METHOD, path) -> logical id
    routes = 0
    for logical, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties") or {}
        name = ((props.get("Environment") or {}).get("Variables") or {}).get("SEJOUR_FUNCTION")
        if not isinstance(name, str) or not name:
            errors.append(f"{logical}: no Environment.Variables.SEJOUR_FUNCTION")
            continue
        if props.get("FunctionName") != {"Fn::Sub": f"${{AWS::StackName}}-{name}"}:
            errors.append(
                f'{logical}: FunctionName is not !Sub "${{AWS::StackName}}-{name}" (SEJOUR_FUNCTION {name})'
            )
        if name in deployed:
            errors.append(f"{logical}: SEJOUR_FUNCTION {name} is already used by {deployed[name]}")
            continue
        deployed[name] = logical

        if "CodeUri" in props:
            if not is_code_dir(props["CodeUri"]):
                errors.append(f"{logical}: its own CodeUri {props['CodeUri']!r} is not the folder of {args.bootstrap}")
        else:
            uses_globals_code = True

        if name not in listed:
            errors.append(f"{logical}: SEJOUR_FUNCTION {name} is not a function of `sejour functions`")
            continue
        trigger = listed[name]["trigger"]
        events = {k: e or {} for k, e in (props.get("Events") or {}).items()}
        types = {e.get("Type") for e in events.values()}
        for key, event in sorted(events.items()):
            if event.get("Type") not in EVENT_TYPES[trigger]:
                errors.append(f"{logical}: event {key} is of type {event.get('Type')}, but {name} is triggered by {trigger}")
        if logical in notified and trigger != "s3":
            errors.append(f"{logical}: notified by bucket {', '.join(notified[logical])}, but {name} is triggered by {trigger}")

        if trigger == "http":
            http = {}
            for key, event in events.items():
                if event.get("Type") != "HttpApi":
                    continue
                p = event.get("Properties") or {}
                route = (str(p.get("Method", "")).upper(), p.get("Path"))
                http[route] = key
                api = ref_target(p.get("ApiId"))
                if (resources.get(api) or {}).get("Type") != "AWS::Serverless::HttpApi":
                    errors.append(f"{logical}: event {key} has no ApiId: !Ref <an AWS::Serverless::HttpApi>")
                if route in routes_seen and routes_seen[route] != logical:
                    errors.append(f"{logical}: {route[0]} {route[1]} is also routed to {routes_seen[route]}")
                routes_seen[route] = logical
            served = {(r["method"].upper(), r["path"]) for r in listed[name]["routes"]}
            routes += len(served)
            for method, path in sorted(set(http) - served):
                errors.append(f"{logical}: HttpApi event {http[(method, path)]} {method} {path} is not a route of {name}")
            for method, path in sorted(served - set(http)):
                errors.append(f"{logical}: no HttpApi event for {method} {path}, a route of {name}")
        else:
            if listed[name]["routes"]:
                errors.append(f"{logical}: `sejour functions` gives routes to {name}, triggered by {trigger}")
            if trigger == "sqs" and "SQS" not in types:
                errors.append(f"{logical}: {name} is an sqs function without an SQS event")
            if trigger == "schedule" and not types & EVENT_TYPES["schedule"]:
                errors.append(f"{logical}: {name} is a schedule function without a Schedule or ScheduleV2 event")
            if trigger == "s3" and "S3" not in types:
                if logical not in notified:
                    errors.append(
                        f"{logical}: {name} is an s3 function, but no bucket's NotificationConfiguration "
                        "(LambdaConfigurations) invokes it"
                    )
                elif logical not in s3_may_invoke:
                    errors.append(
                        f"{logical}: notified by bucket {', '.join(notified[logical])}, but no AWS::Lambda::Permission "
                        "lets s3.amazonaws.com invoke it"
                    )

    if uses_globals_code and not is_code_dir(globals_code):
        errors.append(f"Globals.Function.CodeUri {globals_code!r} is not the folder of {args.bootstrap}")
    for name in sorted(set(listed) - set(deployed)):
        errors.append(f"{name} ({listed[name]['trigger']}) has no function in {args.template.name} (SEJOUR_FUNCTION: {name})")

    bootstrap = args.bootstrap
    if not bootstrap.is_file():
        errors.append(f"{bootstrap} was not built (make lambdas)")
    else:
        header = bootstrap.read_bytes()[:20]
        machine = int.from_bytes(header[18:20], "little") if header[:4] == b"\x7fELF" else None
        if machine != ELF_MACHINE_AARCH64:
            errors.append(f"{bootstrap} is not an arm64 (aarch64) executable")

    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"check-lambdas: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    kinds = {}
    for f in functions:
        kinds[f["trigger"]] = kinds.get(f["trigger"], 0) + 1
    print(f"check-lambdas: {len(deployed)} functions in the template, exactly those of `sejour functions` "
          f"({', '.join(f'{n} {t}' for t, n in sorted(kinds.items()))}), the {routes} HTTP routes match, "
          f"one arm64 bootstrap")
    return 0


if __name__ == "__main__":
    sys.exit(main())
