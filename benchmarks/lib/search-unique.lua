-- Each request a query no earlier request asked (an excluded nonsense word numbered per
-- thread and request), so no answer comes from the result cache. Set PATH_PREFIX via wrk.path.
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function request()
  counter = counter + 1
  local path = wrk.path .. "+-zq" .. tid .. "x" .. counter
  return wrk.format(nil, path)
end
