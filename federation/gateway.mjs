// Rungs composed with a second subgraph (a payroll stub written with
// @apollo/subgraph) by @apollo/gateway's IntrospectAndCompose, which runs
// Apollo's composition library over both subgraphs' `_service { sdl }`.
// Then queries go through the gateway, with the caller's token forwarded
// to Rungs, joining the two in both directions:
//   - `me` from Rungs, `payslips` from payroll (keyed by employeeNumber);
//   - `payslipHolders` from payroll, each holder's name and role from Rungs
//     (Rungs' `_entities`, under its own authorization: an employee the
//     caller may not see comes back null).
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from "@apollo/gateway";
import gql from "graphql-tag";

const RUNGS = process.env.RUNGS_URL ?? "http://127.0.0.1:8080/graphql";
const fail = (m) => { console.error(`FAIL ${m}`); process.exit(1); };

// The payroll stub: two months of payslips for anyone asked about.
const payroll = new ApolloServer({
  schema: buildSubgraphSchema({
    typeDefs: gql`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Employee @key(fields: "employeeNumber") {
        employeeNumber: String!
        payslips: [Payslip!]!
      }
      type Payslip { month: String!  net: String!  currency: String! }
      type Query { payslipHolders(numbers: [String!]!): [Employee!]! }
    `,
    resolvers: {
      Query: { payslipHolders: (_, { numbers }) => numbers.map((employeeNumber) => ({ employeeNumber })) },
      Employee: {
        __resolveReference: ({ employeeNumber }) => ({ employeeNumber }),
        payslips: ({ employeeNumber }) => ["2026-10", "2026-11"].map((month) => ({
          month, net: String(300000 + employeeNumber.length * 1000), currency: "JPY",
        })),
      },
    },
  }),
});
const { url: payrollUrl } = await startStandaloneServer(payroll, { listen: { port: 0 } });

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [{ name: "rungs", url: RUNGS }, { name: "payroll", url: payrollUrl }],
  }),
  buildService: ({ url }) => new RemoteGraphQLDataSource({
    url,
    willSendRequest({ request, context }) {
      if (context.authorization) request.http.headers.set("authorization", context.authorization);
    },
  }),
});
const server = new ApolloServer({ gateway });
const { url: gatewayUrl } = await startStandaloneServer(server, {
  listen: { port: 0 },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});

async function ask(query, variables, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(gatewayUrl, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return res.json();
}
async function login(email) {
  const res = await fetch(RUNGS, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `mutation { login(email: "${email}", password: "rungs-demo-2026") { token } }` }),
  });
  return (await res.json()).data.login.token;
}

const yui = await login("yui.sato@rungs.example");
const mine = await ask("{ me { id name employeeNumber role { code } payslips { month net currency } } }", {}, yui);
if (mine.errors || mine.data.me.payslips.length !== 2) fail(`me with payslips: ${JSON.stringify(mine)}`);

const hr = await login("hr@rungs.example");
const people = (await ask("{ employees(first: 3) { nodes { employeeNumber } } }", {}, hr)).data.employees.nodes;
const numbers = people.map((p) => p.employeeNumber);
const joined = await ask(
  "query($n: [String!]!) { payslipHolders(numbers: $n) { employeeNumber name role { title } payslips { month } } }",
  { n: numbers }, hr);
if (joined.errors || joined.data.payslipHolders.some((e) => !e.name || !e.role.title)) fail(`payslipHolders: ${JSON.stringify(joined)}`);

// Yui may not see the others: Rungs answers null for them, so the
// gateway cannot leak their names either.
const hidden = await ask("query($n: [String!]!) { payslipHolders(numbers: $n) { name } }", { n: numbers }, yui);
const leaked = (hidden.data?.payslipHolders ?? []).filter((e) => e && e.name);
if (leaked.length > 0) fail(`names leaked through the gateway: ${JSON.stringify(hidden)}`);

console.log(`federation: composed rungs + payroll; ${mine.data.me.name} with ${mine.data.me.payslips.length} payslips; ` +
  `${joined.data.payslipHolders.length} payslip holders resolved by Rungs for HR, none for an employee`);
await server.stop();
await payroll.stop();
