#!/usr/bin/env bash
# graphql-schema-linter over the checked-in schema.graphql (issue 18): every
# type, field, argument, enum value and input field has a description, and
# connections follow the Relay specification. Must report 0 violations. The
# alphabetical-sorting rules are left out on purpose: fields keep the order
# a reader meets them in (id first, then the natural order of the record).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../.ci/lib.sh
source "$ROOT/.ci/lib.sh"
cd "$ROOT/lint"
need_npm_packages .bin/graphql-schema-linter
RULES=(
  types-have-descriptions
  fields-have-descriptions
  arguments-have-descriptions
  enum-values-have-descriptions
  input-object-values-have-descriptions
  descriptions-are-capitalized
  deprecations-have-a-reason
  defined-types-are-used
  enum-values-all-caps
  fields-are-camel-cased
  input-object-values-are-camel-cased
  types-are-capitalized
  relay-connection-types-spec
  relay-connection-arguments-spec
  relay-page-info-spec
)
rules="$(IFS=,; echo "${RULES[*]}")"
./node_modules/.bin/graphql-schema-linter --rules "$rules" -f text "$ROOT/schema.graphql"
echo "graphql-schema-linter: 0 violations (${#RULES[@]} rules)"
