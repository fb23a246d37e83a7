-- The crowd of September across both nodes: the pages opened most (home, the guide, search, the
-- login page) and the app's 我的 with a person's token (HALL_TOKEN). wrk counts every answer that is
-- not 2xx or 3xx ("Non-2xx or 3xx responses").
local paths = {
  "/", "/services/job-seeking-subsidy/", "/search/?q=%E8%A1%A5%E8%B4%B4", "/accounts/login/",
  "/api/v1/me",
}
local token = os.getenv("HALL_TOKEN") or ""
local counter = 0
request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local headers = {}
  if path == "/api/v1/me" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", path, headers)
end
