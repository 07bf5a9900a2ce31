// Apollo Client 4 (run with --conditions=development, so its cache warnings
// are on) runs every GraphQL operation of the README, twice, as yui.sato.
// Passes when Apollo printed no warning and every object of a type that
// implements Node was normalised (stored once under its id, referenced
// elsewhere): a Node-typed object left inline would be lost or duplicated.
import { readFileSync } from "node:fs";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { URL, fail, login } from "./common.mjs";

const readme = readFileSync(new globalThis.URL("../README.md", import.meta.url), "utf8");
const operations = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
if (operations.length < 3) fail(`only ${operations.length} operations found in README.md`);

const schema = readFileSync(new globalThis.URL("../schema.graphql", import.meta.url), "utf8");
const nodeTypes = new Set([...schema.matchAll(/^type (\w+) implements [^{]*\bNode\b/gm)].map((m) => m[1]));

const warnings = [];
for (const level of ["warn", "error"]) {
  const original = console[level];
  console[level] = (...args) => { warnings.push(args.map(String).join(" ")); original(...args); };
}

const token = await login("yui.sato@rungs.example");
const client = new ApolloClient({
  link: new HttpLink({ uri: URL, headers: { authorization: `Bearer ${token}` } }),
  cache: new InMemoryCache(),
});
for (let round = 0; round < 2; round++) {
  for (const text of operations) {
    const document = gql(text);
    const kind = document.definitions[0].operation;
    const result = kind === "mutation"
      ? await client.mutate({ mutation: document })
      : await client.query({ query: document, fetchPolicy: "network-only" });
    if (result.error) fail(`${text.slice(0, 60)}: ${result.error.message}`);
  }
}

const store = client.cache.extract();
const inline = [];
const walk = (value, path) => {
  if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    if (nodeTypes.has(value.__typename) && !path.endsWith("]root")) inline.push(`${path} (${value.__typename})`);
    for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  }
};
for (const [key, entity] of Object.entries(store)) {
  for (const [field, value] of Object.entries(entity)) walk(value, `${key}.${field}`);
}
const normalised = Object.keys(store).filter((k) => k !== "ROOT_QUERY" && k !== "ROOT_MUTATION");
if (warnings.length) fail(`Apollo warned:\n${warnings.join("\n")}`);
if (inline.length) fail(`objects of Node types stored inline, not normalised:\n${inline.join("\n")}`);
if (!normalised.some((k) => k.startsWith("Employee:"))) fail(`no Employee normalised: ${normalised.join(", ")}`);
console.log(`apollo: ${operations.length} README operations twice, ${normalised.length} entities normalised ` +
  `(${[...new Set(normalised.map((k) => k.split(":")[0]))].join(", ")}), 0 warnings`);
