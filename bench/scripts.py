"""Writes the wrk Lua scripts for bench/run.sh from the generated dataset."""
import json
import sys

work, products = sys.argv[1], int(sys.argv[2])
vehicles = json.load(open(f"{work}/vehicles.json"))
catalog = json.load(open(f"{work}/catalog.json"))
keys = ", ".join(f'"{a["api_key"]}"' for a in vehicles["accounts"])
token = catalog["loja_token"]
simple = max(products // 10, 1)
# Pages of 20 rows that exist in every subcategory (offset is a page index).
pages = max(1, min(5, products // catalog["subcategories"] // 20))

common = f"""
math.randomseed(os.time())
local keys = {{ {keys} }}
local function key() return keys[math.random(#keys)] end
"""

scripts = {
    "vehicles.lua": common + """
local brands = { "Honda", "Toyota", "Volkswagen", "Chevrolet", "Fiat", "Hyundai" }
request = function()
  local path = string.format("/api/v1/vehicles?status=ativo&brand=%s&year_min=%d&price_max=%d&limit=20",
    brands[math.random(#brands)], 2008 + math.random(0, 10), 50000 + math.random(0, 200) * 1000)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. key() })
end
""",
    "clients.lua": common + """
request = function()
  local body = string.format('{"type":"PF","name":"Cliente Bench %d","email":"bench%d@example.com","segment":"regular"}',
    math.random(1, 1000000000), math.random(1, 1000000000))
  return wrk.format("POST", "/api/v1/clients",
    { ["Authorization"] = "Bearer " .. key(), ["Content-Type"] = "application/json" }, body)
end
""",
    "findbysku.lua": f"""
math.randomseed(os.time())
request = function()
  local n = math.random(0, {simple - 1}) * 10 + math.random(0, 7)
  return wrk.format("GET", "/product/findbysku?sku=S" .. n, {{ ["Authorization"] = "Basic {token}" }})
end
""",
    "findbyname.lua": f"""
math.randomseed(os.time())
request = function()
  local n = math.random(0, {products - 1})
  return wrk.format("GET", "/product/findbyname?name=tinta%20latex%20acrilica%20" .. n,
    {{ ["Authorization"] = "Basic {token}" }})
end
""",
    "search.lua": f"""
math.randomseed(os.time())
request = function()
  local n = math.random(10000, {max(products - 1, 10001)})
  return wrk.format("GET", "/product/search?q=" .. n, {{ ["Authorization"] = "Basic {token}" }})
end
""",
    "subcategory.lua": f"""
math.randomseed(os.time())
request = function()
  local path = string.format("/product/findProductsbySubCategoryUrl?url=sub-%d&offset=%d",
    math.random(0, {catalog["subcategories"] - 1}), math.random(0, {pages - 1}))
  return wrk.format("GET", path, {{ ["Authorization"] = "Basic {token}" }})
end
""",
}
for name, text in scripts.items():
    with open(f"{work}/{name}", "w") as f:
        f.write(text)
