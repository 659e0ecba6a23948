-- wrk script: POST /api/v1/public/lookup/ cycling through a sample of (pinfl, birth_date) pairs.
-- Usage: wrk -s bench/lookup.lua URL -- SAMPLE_FILE   (lines "pinfl,YYYY-MM-DD")

local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local requests = {}
local i = 0

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  -- every request is formatted once here: request() only hands out the next one, so the load
  -- generator spends about as little per request as on the baseline's fixed request
  for line in io.lines(args[1]) do
    local pinfl, born = line:match("^(%d+),([%d-]+)")
    if pinfl then
      requests[#requests + 1] = wrk.format(nil, nil, nil, '{"pinfl":"' .. pinfl .. '","birth_date":"' .. born .. '"}')
    end
  end
  -- each thread starts at another place in the sample
  i = ((tid or 0) * 7919) % math.max(#requests, 1)
end

function request()
  i = i + 1
  if i > #requests then
    i = 1
  end
  return requests[i]
end
