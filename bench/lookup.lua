-- wrk script: POST /api/v1/public/lookup/ cycling through a sample of (pinfl, birth_date) pairs.
-- Usage: wrk -s bench/lookup.lua URL -- SAMPLE_FILE   (lines "pinfl,YYYY-MM-DD")

local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local bodies = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    local pinfl, born = line:match("^(%d+),([%d-]+)")
    if pinfl then
      bodies[#bodies + 1] = '{"pinfl":"' .. pinfl .. '","birth_date":"' .. born .. '"}'
    end
  end
  -- each thread starts at another place in the sample
  i = ((tid or 0) * 7919) % math.max(#bodies, 1)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  i = i + 1
  if i > #bodies then
    i = 1
  end
  return wrk.format(nil, nil, nil, bodies[i])
end
