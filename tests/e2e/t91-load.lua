-- t91-load.lua: the request mix of t9100-load.sh for wrk.
--   DAYS   file of day page paths, one a line
--   WORDS  file of words that occur in the archive, one a line
-- Nine requests in ten are day pages, one in ten a search for one or
-- two random words out of 300 (about 45,000 different searches in
-- all). done() prints one line the test reads:
--   result requests=N connect=N read=N write=N status=N timeout=N seconds=S p99_ms=N max_ms=N
local days, words = {}, {}
local function load(name, into)
	for line in io.lines(os.getenv(name)) do
		if #line > 0 then into[#into + 1] = line end
	end
end

function setup(thread)
	thread:set("seed", math.random(1, 1000000))
end

function init(args)
	load("DAYS", days)
	load("WORDS", words)
	math.randomseed(seed or os.time())
end

request = function()
	if math.random(10) == 1 then
		local q = words[math.random(#words)]
		if math.random(2) == 1 then q = q .. "+" .. words[math.random(#words)] end
		return wrk.format("GET", "/?q=" .. q)
	end
	return wrk.format("GET", days[math.random(#days)])
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("result requests=%d connect=%d read=%d write=%d status=%d timeout=%d seconds=%.1f p99_ms=%.0f max_ms=%.0f\n",
		summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
		summary.duration / 1e6, latency:percentile(99) / 1000, latency.max / 1000))
end
