// graphql-ws 6 receives nominationChanged: HR subscribes, a nomination is
// made over HTTP, and the event must arrive with the nomination's id.
import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { URL, fail, login, post } from "./common.mjs";

const hr = await login("hr@rungs.example");
const wsUrl = URL.replace(/^http/, "ws") + "/ws";
const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${hr}` }, lazy: false });
const events = [];
const done = new Promise((resolve, reject) => {
  client.subscribe(
    { query: "subscription { nominationChanged { id status nominee { id name } targetRole { id code } } }" },
    { next: (m) => { events.push(m); resolve(); }, error: reject, complete: () => {} },
  );
});
await new Promise((r) => setTimeout(r, 500));
const someone = (await post("{ employees(first: 50, filter: {roleCode: \"CSR\"}) { nodes { id } } }", {}, hr)).employees.nodes.at(-1);
const nominated = (await post(
  "mutation($id: ID!) { nominate(input: {nomineeId: $id, targetRoleCode: \"QUALITY_ANALYST\", justification: \"graphql-ws check\", override: true, overrideReason: \"client check\"}) { id } }",
  { id: someone.id }, hr)).nominate;
await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error("no event within 10 s")), 10_000))])
  .catch((e) => fail(e.message));
const event = events[0];
if (event.errors) fail(JSON.stringify(event.errors));
if (event.data.nominationChanged.id !== nominated.id) fail(`event for ${event.data.nominationChanged.id}, expected ${nominated.id}`);
console.log(`graphql-ws: nominationChanged ${event.data.nominationChanged.status} for ${event.data.nominationChanged.nominee.name}`);
await client.dispose();
