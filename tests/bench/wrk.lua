-- The requests of `npm run bench`'s load phase (tests/bench/load.ts runs wrk with this script).
-- wrk -s wrk.lua <url> -- <mode> <cookie or -> <threads> [idea ids, comma separated]
--   get:    the URL's path, again and again (with the cookie, if any)
--   unique: the URL's path with ?nocache=<thread>-<n> and Cache-Control: no-cache, so no two
--           requests are the same (an app-side cache of the page cannot answer them)
--   vote:   POST /ideas/<id> intent=vote&value=up|none&returnTo=/ with a same-site Origin; each
--           thread walks its share of the ideas, up on one pass and none on the next, so every
--           request changes a vote when the member starts with none
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  mode = args[1] or "get"
  local cookie = args[2]
  local threads = tonumber(args[3] or "1")
  counter = 0
  headers = {}
  if cookie and cookie ~= "-" then headers["Cookie"] = cookie end
  if mode == "vote" then
    headers["Origin"] = "http://" .. wrk.headers["Host"]
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    ideas = {}
    local i = 0
    for id in string.gmatch(args[4] or "", "%d+") do
      if i % threads == tid then table.insert(ideas, id) end
      i = i + 1
    end
  elseif mode == "unique" then
    headers["Cache-Control"] = "no-cache"
  else
    fixed = wrk.format("GET", wrk.path, headers)
  end
end

function request()
  counter = counter + 1
  if mode == "vote" then
    local n = #ideas
    local idea = ideas[(counter - 1) % n + 1]
    local value = (math.floor((counter - 1) / n) % 2 == 0) and "up" or "none"
    return wrk.format("POST", "/ideas/" .. idea, headers, "intent=vote&value=" .. value .. "&returnTo=%2F")
  elseif mode == "unique" then
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format("GET", wrk.path .. sep .. "nocache=" .. tid .. "-" .. counter, headers)
  end
  return fixed
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
