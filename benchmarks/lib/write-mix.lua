-- wrk script: signed-in form POSTs (statuses, blog comments) in turn, as a browser sends them.
-- Environment (set by run.sh):
--   PLN_COOKIE       the Cookie header of a signed-in session
--   PLN_CSRF         that session's CSRF token (sent as X-CSRF-Token)
--   PLN_WRITE_PATHS  comma-separated form actions, e.g. "/statuses,/blog/posts/12/comments"
-- Each request has a distinct body, so no duplicate-content rule can short-circuit the write.
-- A successful write answers 303 (post/redirect/get), which wrk counts as a success.
local cookie = os.getenv("PLN_COOKIE") or ""
local csrf = os.getenv("PLN_CSRF") or ""
local paths = {}
for path in string.gmatch(os.getenv("PLN_WRITE_PATHS") or "/statuses", "[^,]+") do
  paths[#paths + 1] = path
end

local counter = 0
local thread_tag = 0

function setup(thread)
  thread_tag = thread_tag + 1
  thread:set("tag", thread_tag)
end

function init(args)
  tag = tag or 0
  math.randomseed(os.time() + tag * 7919)
end

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local body = "body=Benchmark+note+" .. tostring(tag) .. "-" .. counter .. "+" .. math.random(1, 1000000000)
    .. "+on+phonics+and+maths+mastery."
  return wrk.format("POST", path, {
    ["Cookie"] = cookie,
    ["X-CSRF-Token"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
