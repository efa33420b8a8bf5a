-- serve-live.lua: wrk's requests for bench/serve-live, the way a crawler
-- reads an archive: every path of PAGES (one a line) in turn, each
-- thread from its own place in the list, so that no page is asked for
-- twice in a row and all are asked for at the same rate.
local pages = {}
local next_id = 0

function setup(thread)
	thread:set("id", next_id)
	next_id = next_id + 1
end

function init(args)
	for line in io.lines(os.getenv("PAGES")) do
		if #line > 0 then pages[#pages + 1] = line end
	end
	at = (id or 0) * 97 % #pages
end

request = function()
	at = at % #pages + 1
	return wrk.format("GET", pages[at])
end
