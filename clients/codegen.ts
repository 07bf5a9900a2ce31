// GraphQL Code Generator: types for every operation of the README and of
// clients/operations.graphql, with the scalars as the README says, then
// typechecked by tsc (clients/run.sh).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["./operations/*.graphql"],
  generates: {
    "./generated/types.ts": {
      plugins: ["typescript-operations"],
      config: { scalars: { Date: "string", DateTime: "string" }, enumsAsTypes: true, strictScalars: true },
    },
  },
};
export default config;
