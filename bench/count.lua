-- Counts responses outside 2xx (wrk itself only counts those outside 2xx and 3xx,
-- and a redirect to the login page is not a page served), and the page cache's
-- answers (X-Flasky-Cache: hit or miss).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  hits = 0
  misses = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  local cache = headers["X-Flasky-Cache"] or headers["x-flasky-cache"]
  if cache == "hit" then
    hits = hits + 1
  elseif cache == "miss" then
    misses = misses + 1
  end
end

function done(summary, latency, requests)
  local total, hit, miss = 0, 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non2xx")
    hit = hit + thread:get("hits")
    miss = miss + thread:get("misses")
  end
  io.write(string.format("non2xx %d\n", total))
  io.write(string.format("cache hits %d misses %d\n", hit, miss))
end
