-- wrk script for the benchmark's write row: POST /api/services/<id>/status
-- with {"status":"Up"} for a random id in 1..N (a heartbeat; a Down
-- service's open outage is closed by the first one).
--
--	wrk ... -s bench/post_status.lua URL -- N [TOKEN]
-- The bearer token comes from -H "Authorization: ..." or from TOKEN.

local n

function setup(thread)
	setup_count = (setup_count or 0) + 1
	thread:set("seed", setup_count)
end

function init(args)
	n = tonumber(args[1] or "1")
	math.randomseed(os.time() * 100 + (seed or 0))
	wrk.method = "POST"
	wrk.body = '{"status":"Up"}'
	wrk.headers["Content-Type"] = "application/json"
	if args[2] then
		wrk.headers["Authorization"] = "Bearer " .. args[2]
	end
end

function request()
	return wrk.format(nil, string.format("/api/services/%d/status",
	    math.random(1, n)))
end
