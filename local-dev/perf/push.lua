-- wrk script: POST /api/feeds/{source} with a feed template whose "@@PRODUCER@@" becomes a producer id unique to the
-- request, so every request is a new feed (new content hash) the hub must land, validate and process.
-- Environment: FEED_TEMPLATE (file), FEED_SOURCE, FEED_KEY, RUN_LABEL.
local template = assert(io.open(os.getenv("FEED_TEMPLATE"), "rb")):read("*a")
local cut = assert(template:find("@@PRODUCER@@", 1, true), "template has no @@PRODUCER@@")
local before, after = template:sub(1, cut - 1), template:sub(cut + #"@@PRODUCER@@")
local label = os.getenv("RUN_LABEL") or "load"
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  accepted, duplicates, refused, failed = 0, 0, 0, 0
  wrk.method = "POST"
  wrk.path = "/api/feeds/" .. os.getenv("FEED_SOURCE")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["x-api-key"] = os.getenv("FEED_KEY")
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, before .. string.format("%s-t%d-%d", label, tid, counter) .. after)
end

function response(status, headers, body)
  if status == 202 then accepted = accepted + 1
  elseif status == 200 then duplicates = duplicates + 1
  elseif status >= 500 then failed = failed + 1
  else refused = refused + 1 end
end

function done(summary, latency, requests)
  local a, d, r, f = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted"); d = d + thread:get("duplicates"); r = r + thread:get("refused"); f = f + thread:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests":%d,"seconds":%.2f,"requestsPerSecond":%.1f,"p50Ms":%.1f,"p90Ms":%.1f,"p99Ms":%.1f,"maxMs":%.1f,' ..
    '"accepted":%d,"duplicates":%d,"refused":%d,"serverErrors":%d,"socketErrors":%d,"timeouts":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    a, d, r, f, summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout))
end
