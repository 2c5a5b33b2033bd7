// The quickstart's JavaScript client (seed 000_c74a207e34e00309.txt,
// "Exemplo Completo em JavaScript"), copied verbatim: the class below is
// byte-for-byte the documented one. Only the export line is ours; the driver
// replaces the base URL on the instance, as a reader pointing the client at
// vitrine would.
class EcosysAutoClient {
constructor(apiKey) {
this.apiKey = apiKey;
this.baseUrl = 'https://dashboard.ecosysauto.ai/api/v1';
}
async request(endpoint, options = {}) {
const response = await fetch(`${this.baseUrl}${endpoint}`, {
...options,
headers: {
'Authorization': `Bearer ${this.apiKey}`,
'Content-Type': 'application/json',
...options.headers
}
});
if (!response.ok) {
const error = await response.json();
throw new Error(error.error?.message || 'Erro na requisição');
}
return response.json();
}
// Clientes
async createClient(data) {
return this.request('/clients', {
method: 'POST',
body: JSON.stringify(data)
});
}
async getClients(params = {}) {
const query = new URLSearchParams(params).toString();
return this.request(`/clients?${query}`);
}
// Veículos
async createVehicle(data) {
return this.request('/vehicles', {
method: 'POST',
body: JSON.stringify(data)
});
}
async getVehicles(params = {}) {
const query = new URLSearchParams(params).toString();
return this.request(`/vehicles?${query}`);
}
async updateVehicle(id, data) {
return this.request(`/vehicles/${id}`, {
method: 'PUT',
body: JSON.stringify(data)
});
}
// Negócios
async createDeal(data) {
return this.request('/deals', {
method: 'POST',
body: JSON.stringify(data)
});
}
async markDealWon(id, finalValue) {
return this.request(`/deals/${id}`, {
method: 'PUT',
body: JSON.stringify({ status: 'ganho', value: finalValue })
});
}
async markDealLost(id, lossReason) {
return this.request(`/deals/${id}`, {
method: 'PUT',
body: JSON.stringify({ status: 'perdido', loss_reason: lossReason })
});
}
}
module.exports = EcosysAutoClient;
