-- wrk script for bench/load.sh: a mix of what agents and people send,
-- nine reads in ten (who am I, a page of the services list, a service,
-- its health, its risk) and one heartbeat (POST .../status), each on a
-- random service in 1..N; the answers are counted by status and
-- printed at the end as "status N: COUNT" lines.
--
-- A client told to come back later (503 with Retry-After, the overload
-- answer) waits that long before its next request, as RFC 9110 has
-- clients do.  wrk calls delay() for the connection whose answer
-- response() has just seen, so one variable carries it.  Without this,
-- each refused connection asks again at once: on this one machine wrk
-- and nginx then spend the CPU on refusals that the workers need.
--
--	wrk ... -s bench/mix.lua URL -- N
-- The bearer token comes with -H "Authorization: Bearer ...".

local n, post_headers
local threads = {}
local wait_ms = 0
local gets = {
	"/api/auth/me",
	"/api/services?per_page=50&page=%d",
	"/api/services/%d",
	"/api/services/%d/health",
	"/api/risk/%d",
}

function setup(thread)
	table.insert(threads, thread)
	thread:set("seed", #threads)
end

function init(args)
	n = tonumber(args[1] or "1")
	math.randomseed(os.time() * 100 + (seed or 0))
	statuses = {}
	-- Headers given to wrk.format replace -H's: the token goes too.
	post_headers = { ["Content-Type"] = "application/json" }
	for k, v in pairs(wrk.headers) do
		post_headers[k] = v
	end
end

function request()
	local r = math.random(1, 10)
	local id = math.random(1, n)

	if r == 10 then
		return wrk.format("POST", string.format("/api/services/%d/status",
		    id), post_headers, '{"status":"Up"}')
	end
	local path = gets[math.random(1, #gets)]
	if path:find("page=") then
		id = math.random(1, math.max(1, math.floor(n / 50)))
	end
	return wrk.format("GET", string.format(path, id))
end

function response(status, headers, body)
	statuses[status] = (statuses[status] or 0) + 1
	wait_ms = 0
	if status == 503 then
		wait_ms = 1000 * (tonumber(headers["Retry-After"] or "") or 0)
	end
end

function delay()
	return wait_ms
end

function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		for status, count in pairs(t:get("statuses")) do
			total[status] = (total[status] or 0) + count
		end
	end
	for status, count in pairs(total) do
		io.write(string.format("status %d: %d\n", status, count))
	end
end
