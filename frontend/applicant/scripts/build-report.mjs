#!/usr/bin/env node
// The weight of the site after `npm run build`: the JavaScript a first visit
// of `/` loads (the entry chunk, its static imports, the DSFR module that
// startReactDsfr() imports at start and the home page's chunk), gzipped at
// level 9, and each route's own chunk. Prints a table, writes
// dist/build-report.json and test-results/build-report.md; exits 1 when the
// first load reaches the budget. tests/weight.spec.ts measures the same first
// load in the browser.
import { gzipSync } from "node:zlib";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** kB of gzipped JavaScript on a first visit (1 kB = 1000 bytes). */
export const BUDGET_KB = 150;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The build folder: `dist`, or the one given (`node scripts/build-report.mjs other/dist`).
const dist = resolve(root, process.argv[2] ?? "dist");

const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));

function sizes(file) {
  const bytes = readFileSync(join(dist, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** A manifest entry and its static imports, recursively (manifest keys). */
function withImports(key, into = new Set()) {
  if (into.has(key)) return into;
  into.add(key);
  for (const dep of manifest[key]?.imports ?? []) withImports(dep, into);
  return into;
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!entryKey) throw new Error("no entry in dist/.vite/manifest.json: run `npm run build` first");

// The pages, as src/routes.tsx declares them: path, name, module.
const routesSource = readFileSync(join(root, "src/routes.tsx"), "utf8");
const routes = [...routesSource.matchAll(/route\(\s*"([^"]+)",\s*"([^"]+)",\s*(true|false),\s*\(\)\s*=>\s*import\("\.\/([^"]+)"\)/g)].map(
  ([, path, name, login, module]) => {
    const key = ["", ".tsx", ".ts", ".jsx", ".js"].map((ext) => `src/${module}${ext}`).find((k) => manifest[k]);
    if (!key) throw new Error(`the chunk of ${path} (src/${module}) is not in the manifest`);
    return { path, name, login: login === "true", key };
  },
);
if (routes.length === 0) throw new Error("no route found in src/routes.tsx");

// What a first visit of `/` loads.
const dsfrKey = Object.keys(manifest).find((k) => /react-dsfr\/dsfr\/dsfr\.module\.js$/.test(k));
const homeKey = routes.find((r) => r.path === "/")?.key;
const first = withImports(entryKey);
for (const key of [dsfrKey, homeKey]) if (key) withImports(key, first);
const firstFiles = [...first].map((key) => ({ key, file: manifest[key].file, ...sizes(manifest[key].file) }));
const firstLoad = firstFiles.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), { raw: 0, gzip: 0 });
const css = (manifest[entryKey].css ?? []).map((file) => ({ file, ...sizes(file) }));

// Each route: its chunk, and what it adds to the first load (its chunk and
// the shared chunks it imports that the first load did not bring).
const byKey = new Map();
for (const r of routes) {
  const own = sizes(manifest[r.key].file);
  const extra = [...withImports(r.key)].filter((k) => !first.has(k));
  const added = extra.reduce(
    (t, k) => {
      const s = sizes(manifest[k].file);
      return { raw: t.raw + s.raw, gzip: t.gzip + s.gzip };
    },
    { raw: 0, gzip: 0 },
  );
  const row = byKey.get(r.key) ?? { name: r.name, paths: [], file: manifest[r.key].file, ...own, added };
  row.paths.push(r.path);
  byKey.set(r.key, row);
}
const routeRows = [...byKey.values()];

const kB = (n) => (n / 1000).toFixed(1);
const overBudget = firstLoad.gzip >= BUDGET_KB * 1000;
const report = {
  budget_kb_gzip: BUDGET_KB,
  first_load: { ...firstLoad, files: firstFiles.map(({ file, raw, gzip }) => ({ file, raw, gzip })) },
  css,
  routes: routeRows,
  ok: !overBudget,
};

const lines = [
  "# Build report of the applicant site",
  "",
  `First-load JavaScript of \`/\` (entry, its imports, the DSFR module, the home chunk): **${kB(firstLoad.gzip)} kB gzip** ` +
    `(${kB(firstLoad.raw)} kB raw); budget < ${BUDGET_KB} kB gzip: ${overBudget ? "**over budget**" : "within budget"}.`,
  "",
  "| First-load file | raw (kB) | gzip (kB) |",
  "| --- | ---: | ---: |",
  ...firstFiles.map((f) => `| ${f.file} | ${kB(f.raw)} | ${kB(f.gzip)} |`),
  "",
  "| Route | Path(s) | Chunk | raw (kB) | gzip (kB) | added to first load, gzip (kB) |",
  "| --- | --- | --- | ---: | ---: | ---: |",
  ...routeRows.map((r) => `| ${r.name} | ${r.paths.map((p) => `\`${p}\``).join(", ")} | ${r.file} | ${kB(r.raw)} | ${kB(r.gzip)} | ${kB(r.added.gzip)} |`),
  "",
  ...(css.length ? ["| CSS of the entry | raw (kB) | gzip (kB) |", "| --- | ---: | ---: |", ...css.map((c) => `| ${c.file} | ${kB(c.raw)} | ${kB(c.gzip)} |`), ""] : []),
  "gzip: node's zlib at level 9; 1 kB = 1000 bytes.",
];
const markdown = lines.join("\n") + "\n";

writeFileSync(join(dist, "build-report.json"), JSON.stringify(report, null, 2) + "\n");
mkdirSync(join(root, "test-results"), { recursive: true });
writeFileSync(join(root, "test-results/build-report.md"), markdown);
process.stdout.write(markdown);
if (overBudget) {
  process.stderr.write(`First-load JavaScript is ${kB(firstLoad.gzip)} kB gzip: the budget is under ${BUDGET_KB} kB.\n`);
  process.exit(1);
}
