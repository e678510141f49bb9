-- wrk script for intake_wrk.py: each connection sends distinct pre-signed Zendesk webhooks read from a
-- file (one "timestamp<TAB>signature<TAB>body" a line); thread i takes lines i, i+T, i+2T, ...
-- A thread that runs out of events starts over (its events are then duplicates, answered 202 at once):
-- it counts that in "wrapped", and intake_wrk.py refuses a round where that happened.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local path, count = args[1], tonumber(args[2])
  reqs, n, wrapped = {}, 0, 0
  local i = 0
  for line in io.lines(path) do
    if i % count == id then
      local ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      reqs[#reqs + 1] = wrk.format("POST", "/webhooks/zendesk", {
        ["Content-Type"] = "application/json",
        ["X-Zendesk-Webhook-Signature-Timestamp"] = ts,
        ["X-Zendesk-Webhook-Signature"] = sig,
      }, body)
    end
    i = i + 1
  end
end

function request()
  n = n + 1
  if n > #reqs then
    n = 1
    wrapped = wrapped + 1
  end
  return reqs[n]
end

function done(summary, latency, requests)
  local wraps = 0
  for _, thread in ipairs(threads) do
    wraps = wraps + thread:get("wrapped")
  end
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d wrapped=%d\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), wraps))
end
