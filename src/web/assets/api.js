// The public GraphQL API over HTTP. The token lives in sessionStorage (this
// tab only, gone when it closes) and travels in the Authorization header;
// the server never accepts it from a cookie.

const TOKEN_KEY = 'rungs.token';

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A GraphQL error with its `extensions.code` (and `gaps` for NOT_ELIGIBLE). */
export class GqlError extends Error {
  constructor(message, code, extensions) {
    super(message);
    this.code = code;
    this.gaps = (extensions && extensions.gaps) || [];
  }
}

let onUnauthenticated = () => {};
let onReachable = () => {};

/** Called with true or false whenever a request reaches the server or not. */
export function whenReachable(callback) {
  onReachable = callback;
}

/** Called when the server says the token is missing, invalid or expired. */
export function whenUnauthenticated(callback) {
  onUnauthenticated = callback;
}

/**
 * Runs a query or mutation; resolves to `data` or throws a GqlError (the
 * first error; code NETWORK when the server cannot be reached).
 */
export async function gql(query, variables = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      credentials: 'omit',
    });
  } catch {
    onReachable(false);
    throw new GqlError('Cannot reach Rungs. Check your connection, then try again.', 'NETWORK');
  }
  let body;
  try {
    body = await response.json();
  } catch {
    onReachable(false);
    throw new GqlError('Rungs is not answering right now. Try again in a moment.', 'NETWORK');
  }
  onReachable(true);
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    const code = (first.extensions && first.extensions.code) || 'INTERNAL';
    if (code === 'UNAUTHENTICATED' && token) onUnauthenticated();
    throw new GqlError(first.message, code, first.extensions);
  }
  return body.data;
}

/** Every node of a connection, following `pageInfo.endCursor`. */
export async function allPages(query, variables, pick, limit = 50) {
  const nodes = [];
  let after = null;
  for (let page = 0; page < limit; page += 1) {
    const data = await gql(query, { ...variables, after });
    const connection = pick(data);
    nodes.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return nodes;
}
