// relay-compiler 21 compiled clients/relay/ (a @refetchable fragment on
// Employee, which needs the Node interface and Query.node, and a
// @connection over employees); this runs the queries it generated against
// the live server, as Relay's network layer would send them.
import { URL, fail, login, post } from "./common.mjs";

const { default: refetch } = await import("./relay/__generated__/EmployeeCardRefetchQuery.graphql.js");
const { default: pagination } = await import("./relay/__generated__/TeamPaginationQuery.graphql.js");

const hr = await login("hr@rungs.example");
const first = await post(pagination.params.text, { count: 3, cursor: null }, hr);
const edges = first.employees.edges;
if (edges.length !== 3 || !first.employees.pageInfo.hasNextPage) fail(`first page: ${JSON.stringify(first)}`);
const next = await post(pagination.params.text, { count: 3, cursor: first.employees.pageInfo.endCursor }, hr);
if (next.employees.edges[0].node.id === edges[0].node.id) fail("the second page repeats the first");
const id = edges[1].node.id;
const again = await post(refetch.params.text, { id }, hr);
if (again.node?.__typename !== "Employee" || again.node.id !== id || !again.node.name) fail(`refetch: ${JSON.stringify(again)}`);
console.log(`relay: @refetchable on Employee refetched ${again.node.name} through node(id:); @connection paged twice (${URL})`);
