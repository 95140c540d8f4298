// Generates ui/src/generated/*.ts from schemas/*.schema.json (the Rust types are the source
// of the schemas; the schemas are the source of these types). With --check, writes nothing
// and fails when a generated file is missing, stale or left over.
import { compile } from "json-schema-to-typescript";
import { readFileSync, readdirSync, writeFileSync, existsSync, unlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// --schemas DIR reads another copy of schemas/ (for example the committed one).
const schemasArg = process.argv.indexOf("--schemas");
const schemas = schemasArg > 0 ? resolve(process.argv[schemasArg + 1]) : resolve(here, "../../schemas");
const out = resolve(here, "../src/generated");
const check = process.argv.includes("--check");

const banner = (file) =>
  `/* Generated from schemas/${file} by ui/scripts/gen-types.mjs: do not edit.\n` +
  ` * Regenerate with \`npm run gen:types\` in ui/. */`;

const wanted = new Map();
for (const file of readdirSync(schemas).filter((f) => f.endsWith(".schema.json")).sort()) {
  const schema = JSON.parse(readFileSync(join(schemas, file), "utf8"));
  delete schema.$id; // a URL here would only name the type; resolution stays local
  const name = file.replace(/\.schema\.json$/, "");
  const ts = await compile(schema, schema.title ?? name, {
    bannerComment: banner(file),
    additionalProperties: false,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    strictIndexSignatures: true,
    format: true,
    style: { singleQuote: false, printWidth: 100 },
    $refOptions: { resolve: { external: false, http: false, file: false } },
  });
  wanted.set(`${name}.ts`, ts);
}
const index =
  `${banner("*.schema.json")}\n` +
  [...wanted.keys()]
    .map((f) => `export * as ${f.replace(/\.ts$/, "").replace(/[-_.](\w)/g, (_, c) => c.toUpperCase())} from "./${f.replace(/\.ts$/, "")}";`)
    .join("\n") +
  "\n";
wanted.set("index.ts", index);

const problems = [];
for (const [file, text] of wanted) {
  const path = join(out, file);
  const current = existsSync(path) ? readFileSync(path, "utf8") : null;
  if (current !== text) {
    if (check) problems.push(current === null ? `${file} is missing` : `${file} is stale`);
    else writeFileSync(path, text);
  }
}
for (const file of readdirSync(out)) {
  if (!wanted.has(file)) {
    if (check) problems.push(`${file} has no schema any more`);
    else unlinkSync(join(out, file));
  }
}
if (problems.length) {
  console.error(
    `ui/src/generated is out of date with schemas/: ${problems.join("; ")}.\n` +
      "Run `npm run gen:types` in ui/ and commit the result.",
  );
  process.exit(1);
}
console.log(check ? `ui/src/generated is up to date (${wanted.size} files)` : `wrote ui/src/generated (${wanted.size} files)`);
