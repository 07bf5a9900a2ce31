-- wrk script of scripts/cluster.sh: POST /graphql with a token.
--   wrk ... -s scripts/cluster_wrk.lua URL -- TOKEN read
--   wrk ... -s scripts/cluster_wrk.lua URL -- TOKEN write FIRST_ID LAST_ID
--   wrk ... -s scripts/cluster_wrk.lua URL -- TOKEN mixed FIRST_ID LAST_ID
-- read:  `{ me { id name } }` only.
-- write: `recordReview` for an employee drawn from FIRST_ID..LAST_ID (so
--        writes do not queue on one person's rows) with a period end in
--        1901-1949: older than anyone's real reviews, so no eligibility
--        changes, and never the writer of cluster_tool.py's people.
-- mixed: reads, and one request in 10 a write.
-- done() prints one line "RESULT key=value ...": requests, req/s, p50/p99
-- in ms, non-2xx answers, socket errors, and GraphQL-level errors (HTTP 200
-- with an "errors" member), counted in response().

local threads = {}

-- An employee's global id (graphql::ids): base64 of "Employee:<row id>".
local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(text)
  return ((text:gsub(".", function(c)
    local bits, byte = "", c:byte()
    for i = 8, 1, -1 do bits = bits .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return bits
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(bits)
    if #bits < 6 then return "" end
    local n = 0
    for i = 1, 6 do n = n + (bits:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return B64:sub(n + 1, n + 1)
  end) .. ({ "", "==", "=" })[#text % 3 + 1])
end
local function employee_id(row) return base64("Employee:" .. row) end

function setup(thread)
  table.insert(threads, thread)
end

local read_body = '{"query":"{ me { id name } }"}'
local headers
local mode
local first_id, last_id
local n = 0

function init(args)
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. args[1],
  }
  mode = args[2] or "read"
  first_id = tonumber(args[3] or "1")
  last_id = tonumber(args[4] or args[3] or "1")
  non2xx = 0
  gqlerr = 0
  writes = 0
  first_error = ""
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  n = n + 1
  if mode == "write" or (mode == "mixed" and n % 10 == 0) then
    local day = string.format("%04d-%02d-%02d", math.random(1901, 1949), math.random(1, 12), math.random(1, 28))
    local body = '{"query":"mutation($e: ID!, $d: Date!) { recordReview(input: {employeeId: $e, periodEnd: $d, rating: 3.0}) { id } }",'
      .. '"variables":{"e":"' .. employee_id(math.random(first_id, last_id)) .. '","d":"' .. day .. '"}}'
    writes = writes + 1
    return wrk.format("POST", "/graphql", headers, body)
  end
  return wrk.format("POST", "/graphql", headers, read_body)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_error == "" then first_error = "HTTP " .. status end
  elseif body:find('"errors"', 1, true) then
    gqlerr = gqlerr + 1
    if first_error == "" then first_error = body:sub(1, 200) end
  end
end

function done(summary, latency, requests)
  local non, gql, w, first = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    non = non + (t:get("non2xx") or 0)
    gql = gql + (t:get("gqlerr") or 0)
    w = w + (t:get("writes") or 0)
    local e = t:get("first_error") or ""
    if first == "" then first = e end
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d gql_errors=%d writes=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    non, socket, e.connect, e.read, e.write, e.timeout, gql, w))
  if first ~= "" then
    io.write("FIRST_ERROR " .. first:gsub("\n", " ") .. "\n")
  end
end
