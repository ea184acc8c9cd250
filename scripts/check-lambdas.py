#!/usr/bin/env python3
"""Check that infra/template.yaml and functions/src/bin agree, and that
`cargo lambda build` built every function of the template.

- every AWS::Serverless::Function has Metadata BuildMethod rust-cargolambda
  and a BuildProperties.Binary;
- that binary exists as functions/src/bin/<name>.rs;
- its bootstrap exists in $CARGO_TARGET_DIR/lambda/<name>/bootstrap (arm64 ELF);
- every binary of functions/src/bin has a function in the template.

Usage: check-lambdas.py [template] (from the repository root).
"""

import os
import sys
from pathlib import Path

import yaml  # comes with cfn-lint in .venv


class Loader(yaml.SafeLoader):
    """Reads CloudFormation YAML; short-form tags (!Ref, !Sub…) are not needed here."""


Loader.add_multi_constructor("!", lambda loader, suffix, node: None)

ELF_MACHINE_AARCH64 = 183


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    template_path = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "infra" / "template.yaml"
    target = Path(os.environ.get("CARGO_TARGET_DIR") or root / "target")
    template = yaml.load(template_path.read_text(encoding="utf-8"), Loader=Loader)

    errors = []
    in_template = {}
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

    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"check-lambdas: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-lambdas: {len(in_template)} functions in the template, all built for arm64, "
          f"and every binary of functions/src/bin is deployed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
