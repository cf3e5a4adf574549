-- wrk script for the benchmark's GET rows: each request's path is
-- string.format(TEMPLATE, id) with id random in 1..N, so a route with
-- <id> is read across the whole data set rather than one cached row.
-- Every GET row (hello-world included) goes through this script, so the
-- client does the same work per request for each.
--
--	wrk ... -s bench/get.lua URL -- TEMPLATE [N]
--	    e.g. -- /api/services/%d/health 10000
-- Headers given with -H (Authorization) are sent with every request.

local template, n
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("seed", counter)
end

function init(args)
	template = args[1] or "/"
	n = tonumber(args[2] or "1")
	math.randomseed(os.time() * 100 + (seed or 0))
end

function request()
	return wrk.format("GET", string.format(template, math.random(1, n)))
end
