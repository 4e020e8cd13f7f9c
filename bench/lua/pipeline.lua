-- wrk script: every request() sends DEPTH GET /small requests in one write; wrk waits for all
-- DEPTH responses before sending the next batch. Usage: wrk -s pipeline.lua URL -- DEPTH
local batch

init = function(args)
  local depth = tonumber(args[1]) or 10
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format("GET", "/small")
  end
  batch = table.concat(requests)
end

request = function()
  return batch
end
