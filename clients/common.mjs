// Shared by the client checks: the server's URL and demo sign-ins.
export const URL = process.env.RUNGS_URL ?? "http://127.0.0.1:8080/graphql";
export const PASSWORD = "rungs-demo-2026";

export async function post(query, variables = {}, token) {
  const headers = { "content-type": "application/json", accept: "application/graphql-response+json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(URL, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(`${query.slice(0, 60)}...: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function login(email) {
  const data = await post("mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
    { e: email, p: PASSWORD });
  return data.login.token;
}

export function fail(message) {
  console.error(`FAIL ${message}`);
  process.exit(1);
}
