#!/usr/bin/env python3
"""Check that infra/template.yaml and functions/src/bin agree, and that
`cargo lambda build` built every function of the template.

- every AWS::Serverless::Function has Metadata BuildMethod rust-cargolambda
  and a BuildProperties.Binary;
- that binary exists as functions/src/bin/<name>.rs;
- its bootstrap exists in $CARGO_TARGET_DIR/lambda/<name>/bootstrap (arm64 ELF);
- every binary of functions/src/bin has a function in the template;
- an HTTP function's HttpApi events are exactly the methods and path of the
  router its binary runs (`run_http(sejour::api::<fn>)`, read from
  shared/src/api/mod.rs), so API Gateway sends each route to the Lambda
  that serves it.

Usage: check-lambdas.py [template] (from the repository root).
"""

import os
import re
import sys
from pathlib import Path

import yaml  # comes with cfn-lint in .venv


class Loader(yaml.SafeLoader):
    """Reads CloudFormation YAML; short-form tags (!Ref, !Sub…) are not needed here."""


Loader.add_multi_constructor("!", lambda loader, suffix, node: None)

ELF_MACHINE_AARCH64 = 183
METHODS = ("get", "post", "put", "patch", "delete")


def router_routes(api_source: str, endpoint: str) -> set[tuple[str, str]]:
    """(METHOD, path) of `pub fn <endpoint>(app: App) -> Router` in api/mod.rs.

    Reads the `endpoint(app, PATH, ROUTE)` call: PATH is a literal or a
    `const`, ROUTE chains method routers (`get(..).patch(..)`) or calls a
    `fn <name>_route() -> MethodRouter<App>` holding them."""
    def body_of(signature: str) -> str:
        match = re.search(signature + r"[^{]*\{(.*?)\n\}", api_source, re.S)
        if not match:
            raise ValueError(f"no `{signature}` in shared/src/api/mod.rs")
        return match.group(1)

    body = body_of(rf"pub fn {endpoint}\(app: App\) -> Router")
    call = re.search(r"endpoint\(\s*app,\s*(\"[^\"]+\"|[A-Z_]+),(.*)\)", body, re.S)
    if not call:
        raise ValueError(f"api::{endpoint} is not `endpoint(app, PATH, ROUTE)`")
    path, route = call.group(1), call.group(2)
    if not path.startswith('"'):
        const = re.search(rf"const {path}: &str = (\"[^\"]+\");", api_source)
        if not const:
            raise ValueError(f"no const {path} in shared/src/api/mod.rs")
        path = const.group(1)
    for helper in re.findall(r"\b(\w+_route)\(\)", route):
        route += body_of(rf"fn {helper}\(\) -> MethodRouter<App>")
    # `get(`, `.patch(`, `axum::routing::delete(`; not `fallback(` or handler paths.
    methods = set(re.findall(r"(?:^|[\s.:(])(" + "|".join(METHODS) + r")\(", route))
    if not methods:
        raise ValueError(f"api::{endpoint}: no method router found")
    return {(m.upper(), path.strip('"')) for m in methods}


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    template_path = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "infra" / "template.yaml"
    target = Path(os.environ.get("CARGO_TARGET_DIR") or root / "target")
    template = yaml.load(template_path.read_text(encoding="utf-8"), Loader=Loader)

    errors = []
    in_template = {}
    http_events = {}
    for name, resource in (template.get("Resources") or {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        metadata = resource.get("Metadata") or {}
        binary = (metadata.get("BuildProperties") or {}).get("Binary")
        if metadata.get("BuildMethod") != "rust-cargolambda" or not binary:
            errors.append(f"{name}: Metadata needs BuildMethod rust-cargolambda and BuildProperties.Binary")
            continue
        if binary in in_template.values():
            errors.append(f"{name}: binary {binary} is already used by another function")
        in_template[name] = binary
        events = ((resource.get("Properties") or {}).get("Events") or {}).values()
        http_events[name] = {
            (str(e["Properties"].get("Method", "")).upper(), e["Properties"].get("Path"))
            for e in events
            if e.get("Type") == "HttpApi"
        }

    sources = {p.stem for p in (root / "functions" / "src" / "bin").glob("*.rs")}
    for name, binary in sorted(in_template.items()):
        if binary not in sources:
            errors.append(f"{name}: no functions/src/bin/{binary}.rs")
        bootstrap = target / "lambda" / binary / "bootstrap"
        if not bootstrap.is_file():
            errors.append(f"{name}: {bootstrap} was not built (cargo lambda build --release --arm64)")
            continue
        header = bootstrap.read_bytes()[:20]
        machine = int.from_bytes(header[18:20], "little") if header[:4] == b"\x7fELF" else None
        if machine != ELF_MACHINE_AARCH64:
            errors.append(f"{name}: {bootstrap} is not an arm64 (aarch64) executable")
    for binary in sorted(sources - set(in_template.values())):
        errors.append(f"functions/src/bin/{binary}.rs has no function in {template_path.name}")

    api_source = (root / "shared" / "src" / "api" / "mod.rs").read_text(encoding="utf-8")
    routes = 0
    for name, binary in sorted(in_template.items()):
        source = root / "functions" / "src" / "bin" / f"{binary}.rs"
        if not source.is_file():
            continue
        runs = re.search(r"run_http\(sejour::api::(\w+)\)", source.read_text(encoding="utf-8"))
        if not runs:
            if http_events[name]:
                errors.append(f"{name}: HttpApi events, but {binary} serves no HTTP endpoint")
            continue
        try:
            served = router_routes(api_source, runs.group(1))
        except ValueError as e:
            errors.append(f"{name}: {e}")
            continue
        routes += len(served)
        if http_events[name] != served:
            errors.append(
                f"{name}: HttpApi events {sorted(http_events[name])} but api::{runs.group(1)} "
                f"serves {sorted(served)}"
            )

    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"check-lambdas: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-lambdas: {len(in_template)} functions in the template, all built for arm64, "
          f"every binary of functions/src/bin is deployed, and the {routes} HTTP routes match the routers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
