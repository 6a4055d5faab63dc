-- wrk script of scripts/load.sh: every request is a client_credentials token
-- request (RFC 6749 §4.4) from a client drawn at random from a population,
-- authenticated with HTTP Basic (client_secret_basic).
--
--   wrk -s scripts/load.lua URL/token -- SECRETS_FILE
--
-- With LOAD_SEQ=1 in the environment (and one wrk thread, -t1) the clients
-- are presented once each, in the file's order, and wrk exits when every
-- one has been answered, printing only "LOAD requests=N seconds=S" (or at
-- -d, as usual): the warm-up of scripts/load.sh, so that
-- every client has been used once (and its last-used time recorded) before
-- the measured runs.
-- SECRETS_FILE has one "client_id secret" line per client (what
-- `tokenserver -load-clients N -load-secrets FILE` writes). The ID and the
-- secret are put in the Authorization header as they are: they hold only RFC
-- 3986 unreserved characters, which the form-encoding of RFC 6749 §2.3.1
-- leaves unchanged. At the end, one line starting "LOAD " gives the figures
-- scripts/load.sh and internal/benchreport read.

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local c1 = math.floor(n / 262144) % 64
    local c2 = math.floor(n / 4096) % 64
    local c3 = math.floor(n / 64) % 64
    local c4 = n % 64
    out[#out + 1] = b64chars:sub(c1 + 1, c1 + 1) .. b64chars:sub(c2 + 1, c2 + 1) ..
      (b and b64chars:sub(c3 + 1, c3 + 1) or "=") .. (c and b64chars:sub(c4 + 1, c4 + 1) or "=")
  end
  return table.concat(out)
end

local requests = {}
local threadCount = 0

function setup(thread)
  threadCount = threadCount + 1
  thread:set("seed", threadCount)
end

function init(args)
  local file = args[1]
  if file == nil then
    error("usage: wrk -s load.lua URL -- SECRETS_FILE")
  end
  local body = "grant_type=client_credentials"
  local path = wrk.path
  for line in io.lines(file) do
    local id, secret = line:match("^(%S+) (%S+)$")
    if id then
      requests[#requests + 1] = wrk.format("POST", path, {
        ["Authorization"] = "Basic " .. base64(id .. ":" .. secret),
        ["Content-Type"] = "application/x-www-form-urlencoded",
      }, body)
    end
  end
  if #requests == 0 then
    error("no client in " .. file)
  end
  math.randomseed(os.time() * 100 + (seed or 0))
end

local sequential = os.getenv("LOAD_SEQ") == "1"
local started = os.time()
local sent, answered = 0, 0

function request()
  if sequential then
    sent = sent % #requests + 1
    return requests[sent]
  end
  return requests[math.random(#requests)]
end

-- Defined only for the warm-up: wrk parses responses only for a script
-- that has this function, which would slow the measured runs.
if sequential then
  function response(status, headers, body)
    answered = answered + 1
    if answered >= #requests then
      -- wrk would wait out -d after a thread stops: end the process.
      io.write(string.format("LOAD requests=%d seconds=%d\n", answered, os.time() - started))
      io.flush()
      os.exit(0)
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "LOAD requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
