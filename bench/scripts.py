"""Writes the wrk Lua scripts for bench/run.sh from the generated dataset,
and sets up the checkout workload (customers and products) through the Loja
API of the running server."""
import json
import sys
import urllib.parse
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

work, products, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
vehicles = json.load(open(f"{work}/vehicles.json"))
catalog = json.load(open(f"{work}/catalog.json"))
large_key = json.load(open(f"{work}/large.json"))["accounts"][0]["api_key"]
keys = ", ".join(f'"{a["api_key"]}"' for a in vehicles["accounts"])
token = catalog["loja_token"]
simple = max(products // 10, 1)
# Pages of 20 rows that exist in every subcategory (offset is a page index).
pages = max(1, min(5, products // catalog["subcategories"] // 20))


def loja(path, fields, auth):
    """POSTs a form to the Loja API; returns the decoded envelope, error or
    not (a reused dataset already has the products and customers)."""
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(base + path, data=data, headers={"Authorization": auth})
    try:
        with urllib.request.urlopen(req) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)


# Checkout: SHOPPERS customers (registered and logged in: two argon2 hashes
# each, done once here) buying from CHECKOUT_SKUS products with stock that
# never runs out. Each wrk request pipelines cart/addproduct and the
# checkout (POST cart/findcartbyhash) on one connection, customers taken in
# turn so that two connections rarely share a cart (when they do, one
# checkout answers 401 "Cart not found": the other took its item).
SHOPPERS, CHECKOUT_SKUS = 1024, 20
store_auth = f"Basic {catalog['loja_token']}"
for i in range(CHECKOUT_SKUS):
    loja("/product/insert", {
        "name": f"Produto Checkout {i}", "sku": f"CHECKOUT-{i}", "type": "1", "status": "1",
        "price": "99.90", "stock": "1000000000",
    }, store_auth)


def shopper(i):
    """Registers and logs in customer `i`; returns its JWT."""
    email = f"bench-shopper-{i}@example.com"
    loja("/client/register", {
        "name": f"Cliente Bench {i}", "email": email, "pass": "senha-bench", "type": "1",
        "cpf": "529.982.247-25", "cep": "01310-100", "street": "Avenida Paulista",
        "number": "1000", "neighborhood": "Bela Vista", "city": "São Paulo", "state": "SP",
        "country": "Brasil",
    }, store_auth)
    login = loja("/client/clientlogin", {"email": email, "pass": "senha-bench", "min": "1"}, store_auth)
    return login["data"]["token"]


with ThreadPoolExecutor(8) as pool:
    jwts = list(pool.map(shopper, range(SHOPPERS)))
per_thread = SHOPPERS // int(sys.argv[4])

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
    # The unfiltered list and the quickstart's `?status=ativo` on the one
    # large account: a random page among the first five.
    "large.lua": f"""
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/vehicles?page=" .. math.random(1, 5), {{ ["Authorization"] = "Bearer {large_key}" }})
end
""",
    "large_ativo.lua": f"""
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/vehicles?status=ativo&page=" .. math.random(1, 5),
    {{ ["Authorization"] = "Bearer {large_key}" }})
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
    "checkout.lua": f"""
local jwts = {{ {", ".join(f'"{j}"' for j in jwts)} }}
local checkout = '{{"ip_cliente":"127.0.0.1","tipo_pagamento":"3","modo_pagamento":"3","tipo_entrega":"Correios - PAC","codigo_frete":"8","prazo_frete":"5"}}'
local threads, n = 0, 0
function setup(thread)
  thread:set("first", threads * {per_thread})
  threads = threads + 1
end
function init(args)
  math.randomseed(os.time() + first)
end
request = function()
  local auth = "Bearer " .. jwts[first + n % {per_thread} + 1]
  n = n + 1
  local add = string.format('{{"sku":"CHECKOUT-%d","quantity":1}}', math.random(0, {CHECKOUT_SKUS - 1}))
  local headers = {{ ["Authorization"] = auth, ["Content-Type"] = "application/json" }}
  return wrk.format("POST", "/cart/addproduct", headers, add)
    .. wrk.format("POST", "/cart/findcartbyhash", headers, checkout)
end
""",
}
for name, text in scripts.items():
    with open(f"{work}/{name}", "w") as f:
        f.write(text)
