// Drives the quickstart's EcosysAutoClient against a running vitrine and
// prints one JSON object with what came back, for node.rs to check.
// Environment: ECOSYS_AUTO_API_KEY and ECOSYS_AUTO_STORE_ID (the names the
// quickstart uses) and ECOSYS_AUTO_BASE_URL (the only thing a reader changes).
const EcosysAutoClient = require('./ecosys_client.js');

const client = new EcosysAutoClient(process.env.ECOSYS_AUTO_API_KEY);
client.baseUrl = process.env.ECOSYS_AUTO_BASE_URL;
const STORE_ID = process.env.ECOSYS_AUTO_STORE_ID;

// The quickstart's own helper, verbatim.
async function cadastrarVeiculoCompleto(dadosCliente, dadosVeiculo) {
const cliente = await client.createClient(dadosCliente);
const veiculo = await client.createVehicle({
...dadosVeiculo,
store_id: STORE_ID,
client_id: cliente.data.id
});
return { cliente: cliente.data, veiculo: veiculo.data };
}

async function main() {
  // The quickstart's example call, verbatim.
  const criado = await cadastrarVeiculoCompleto(
    {
      type: 'PF',
      name: 'Maria Santos',
      email: 'maria@email.com',
      cpf: '987.654.321-00'
    },
    {
      title: 'Toyota Corolla XEi 2.0 2025',
      brand: 'Toyota',
      model: 'Corolla',
      version: 'XEi 2.0 Flex',
      year_model: 2025,
      price: 165000.00,
      mileage: 0
    }
  );
  const clientes = await client.getClients();
  const filtrados = await client.getClients({ type: 'PF', segment: 'premium' });
  const veiculos = await client.getVehicles({ status: 'ativo' });
  const atualizado = await client.updateVehicle(criado.veiculo.id, { price: 159900.00 });
  const negocio = await client.createDeal({
    title: 'Venda Toyota Corolla 2025 — Maria Santos',
    value: 165000.00,
    phase: 'lead',
    probability: 40,
    client_id: criado.cliente.id,
    source: 'showroom',
    tags: ['corolla']
  });
  const ganho = await client.markDealWon(negocio.data.id, 158000.00);
  const perdido = await client.markDealLost(negocio.data.id, 'Cliente desistiu');
  let erro = null;
  try {
    await client.createVehicle({ store_id: STORE_ID });
  } catch (e) {
    erro = e.message;
  }
  let duplicado = null;
  try {
    await client.createClient({ type: 'PF', name: 'Maria de Novo', cpf: '98765432100' });
  } catch (e) {
    duplicado = e.message;
  }
  console.log(JSON.stringify({
    criado, clientes, filtrados, veiculos, atualizado: atualizado.data,
    negocio: negocio.data, ganho: ganho.data, perdido: perdido.data, erro, duplicado
  }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
