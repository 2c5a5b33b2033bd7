//! The dealership side of the demo (Auto API and the panel's CRM screens):
//! clients, the stock with its photos, the sales pipeline, the day's
//! activities, six months of financial records and a webhook endpoint.
//!
//! Every record is written through the use cases the Auto API calls
//! (`vitrine_app`): the same rules (`settle`, the stock that follows the
//! sale), the same store calls, the same outbox events — inside the
//! caller's transaction.

use anyhow::Context as _;
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use vitrine_app::{crm, finance, Draft};
use vitrine_core::activity::{Activity, ActivityStatus};
use vitrine_core::client::{Address, Client, ClientType, Segment};
use vitrine_core::deal::{Deal, DealPhase};
use vitrine_core::financial::{Category, FinancialRecord, FinancialStatus, PaymentMethod};
use vitrine_core::ids::{AccountId, ClientId, DealId, References, StoreId, VehicleId, WebhookId};
use vitrine_core::money::Money;
use vitrine_core::time_zone::TimeZone;
use vitrine_core::vehicle::{Vehicle, VehiclePhase, VehicleStatus};
use vitrine_core::webhook::{self, Endpoint};
use vitrine_store::Tx;

use super::art::{Body, Colour};

/// Centavos of `n` reais.
const fn reais(n: i64) -> i64 {
    n * 100
}

/// What the dealership side needs to know.
pub(super) struct Ctx<'a> {
    /// The demo account.
    pub account: AccountId,
    /// Its store (vehicles, deals and records name it).
    pub store: StoreId,
    /// The moment the demo is created.
    pub now: DateTime<Utc>,
    /// The account's time zone: "today" and due times are read in it.
    pub zone: TimeZone,
    /// Each vehicle's id, in [`VEHICLES`] order, once [`seed`] created them.
    pub vehicle_ids: &'a [VehicleId],
    /// Each vehicle's photo URLs, in [`VEHICLES`] order.
    pub photos: &'a [Vec<String>],
}

impl Ctx<'_> {
    fn today(&self) -> NaiveDate {
        self.zone.day_of(self.now)
    }

    /// The instant of a local wall-clock time (the next hour that exists
    /// when clocks skipped it).
    fn at(&self, local: NaiveDateTime) -> DateTime<Utc> {
        (0..3)
            .find_map(|h| self.zone.instant(local + Duration::hours(h)))
            .unwrap_or_else(|| local.and_utc())
    }

    /// `days` before today (local) at `hh:mm`.
    fn days_ago(&self, days: i64, hh: u32, mm: u32) -> DateTime<Utc> {
        self.at((self.today() - Duration::days(days)).and_time(time(hh, mm)))
    }
}

fn time(hh: u32, mm: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hh, mm, 0).unwrap_or(NaiveTime::MIN)
}

/// A client of the dealership.
pub(super) struct ClientSeed {
    kind: ClientType,
    pub name: &'static str,
    email: &'static str,
    phone: &'static str,
    /// CPF (PF) or CNPJ (PJ), with valid check digits.
    pub document: &'static str,
    street: &'static str,
    number: &'static str,
    neighborhood: &'static str,
    city: &'static str,
    state: &'static str,
    zip: &'static str,
    segment: Segment,
    source: &'static str,
    tags: &'static [&'static str],
}

/// The clients. Their CPFs and CNPJs are valid and none is one of the
/// quickstarts' examples (123.456.789-00, 987.654.321-00,
/// 12.345.678/0001-90), so a reader following the quickstart on the demo
/// meets no duplicate.
#[rustfmt::skip]
pub(super) const CLIENTS: [ClientSeed; 12] = [
    ClientSeed { kind: ClientType::Pf, name: "Mariana Costa Almeida", email: "mariana.almeida@example.com", phone: "+55 19 99812-4410", document: "158.813.998-03",
        street: "Rua Coronel Quirino", number: "1120", neighborhood: "Cambuí", city: "Campinas", state: "SP", zip: "13025-002",
        segment: Segment::Vip, source: "indicacao", tags: &["recompra"] },
    ClientSeed { kind: ClientType::Pf, name: "Rafael Nogueira Lima", email: "rafael.lima@example.com", phone: "+55 19 98877-2301", document: "698.797.309-17",
        street: "Avenida dos Esportes", number: "455", neighborhood: "Centro", city: "Valinhos", state: "SP", zip: "13270-040",
        segment: Segment::Regular, source: "site", tags: &[] },
    ClientSeed { kind: ClientType::Pf, name: "Juliana Pereira Martins", email: "juliana.martins@example.com", phone: "+55 11 97654-3390", document: "114.170.753-50",
        street: "Rua do Rosário", number: "88", neighborhood: "Anhangabaú", city: "Jundiaí", state: "SP", zip: "13208-030",
        segment: Segment::Premium, source: "instagram", tags: &["a-vista"] },
    ClientSeed { kind: ClientType::Pf, name: "Carlos Eduardo Ribeiro", email: "carlos.ribeiro@example.com", phone: "+55 19 99123-7788", document: "645.568.151-77",
        street: "Avenida Doutor Heitor Penteado", number: "1600", neighborhood: "Taquaral", city: "Campinas", state: "SP", zip: "13087-000",
        segment: Segment::Premium, source: "showroom", tags: &["troca"] },
    ClientSeed { kind: ClientType::Pf, name: "Beatriz Souza Carvalho", email: "beatriz.carvalho@example.com", phone: "+55 19 98210-5566", document: "884.472.940-72",
        street: "Rua Pedro Gonçalves", number: "301", neighborhood: "Vila Sfeir", city: "Indaiatuba", state: "SP", zip: "13330-000",
        segment: Segment::Regular, source: "site", tags: &[] },
    ClientSeed { kind: ClientType::Pf, name: "Ana Clara Ferreira", email: "anaclara.ferreira@example.com", phone: "+55 19 99655-0123", document: "557.616.987-57",
        street: "Avenida Albino José Barbosa de Oliveira", number: "900", neighborhood: "Barão Geraldo", city: "Campinas", state: "SP", zip: "13084-008",
        segment: Segment::Occasional, source: "whatsapp", tags: &["primeiro-carro"] },
    ClientSeed { kind: ClientType::Pf, name: "Thiago Henrique Moreira", email: "thiago.moreira@example.com", phone: "+55 19 98444-9012", document: "168.976.846-00",
        street: "Rua Dom Barreto", number: "210", neighborhood: "Centro", city: "Sumaré", state: "SP", zip: "13170-000",
        segment: Segment::Regular, source: "instagram", tags: &[] },
    ClientSeed {
        kind: ClientType::Pj,
        name: "Transportes Rota Sul Ltda",
        email: "frota@rotasul.example.com",
        phone: "+55 19 3232-4455",
        document: "77.848.648/0001-47",
        street: "Rua Mário Garnero",
        number: "300",
        neighborhood: "Jardim do Trevo",
        city: "Campinas",
        state: "SP",
        zip: "13030-000",
        segment: Segment::Vip,
        source: "indicacao",
        tags: &["frota", "pj"],
    },
    ClientSeed {
        kind: ClientType::Pj,
        name: "Clínica Bem Viver Ltda",
        email: "financeiro@bemviver.example.com",
        phone: "+55 19 3254-8800",
        document: "87.663.440/0001-07",
        street: "Rua Barão de Jaguara",
        number: "1481",
        neighborhood: "Centro",
        city: "Campinas",
        state: "SP",
        zip: "13015-002",
        segment: Segment::Premium,
        source: "site",
        tags: &["pj"],
    },
    ClientSeed { kind: ClientType::Pf, name: "Fernando Albuquerque Neto", email: "fernando.neto@example.com", phone: "+55 31 99701-2288", document: "978.809.320-54",
        street: "Rua Pernambuco", number: "1000", neighborhood: "Savassi", city: "Belo Horizonte", state: "MG", zip: "30130-151",
        segment: Segment::Premium, source: "site", tags: &["compra-a-distancia"] },
    ClientSeed { kind: ClientType::Pf, name: "Larissa Mendes Duarte", email: "larissa.duarte@example.com", phone: "+55 41 99877-6543", document: "819.672.731-38",
        street: "Avenida do Batel", number: "1750", neighborhood: "Batel", city: "Curitiba", state: "PR", zip: "80420-090",
        segment: Segment::Regular, source: "site", tags: &[] },
    ClientSeed {
        kind: ClientType::Pj,
        name: "Padaria Pão Dourado Ltda",
        email: "compras@paodourado.example.com",
        phone: "+55 19 3241-1020",
        document: "02.978.753/0001-00",
        street: "Avenida Brasil",
        number: "2250",
        neighborhood: "Jardim Guanabara",
        city: "Campinas",
        state: "SP",
        zip: "13073-001",
        segment: Segment::Regular,
        source: "showroom",
        tags: &["pj"],
    },
];

/// A sale recorded in the financial records alone (no deal): a paid
/// `venda-veiculo` record linked to the car, which marks it sold.
pub(super) struct PastSale {
    days_ago: i64,
    buyer: usize,
    amount: i64,
    method: PaymentMethod,
}

/// A vehicle of the stock.
pub(super) struct VehicleSeed {
    pub brand: &'static str,
    pub model: &'static str,
    pub version: &'static str,
    pub years: (i32, i32),
    pub price: i64,
    pub purchase: i64,
    pub mileage: i64,
    pub color: &'static str,
    /// The colour its photos are painted.
    pub paint: Colour,
    pub fuel: &'static str,
    pub transmission: &'static str,
    pub body: &'static str,
    pub engine: &'static str,
    pub plate: &'static str,
    pub phase: VehiclePhase,
    pub status: VehicleStatus,
    pub features: &'static [&'static str],
    pub description: &'static str,
    /// The client it is linked to (buyer or interested party).
    pub client: Option<usize>,
    /// Sold before, through the financial records.
    pub sale: Option<PastSale>,
    /// A preparation cost (category, amount, description), paid.
    pub cost: Option<(Category, i64, &'static str)>,
}

impl VehicleSeed {
    /// The listing title, as dealers write it.
    pub fn title(&self) -> String {
        format!(
            "{} {} {} {}",
            self.brand, self.model, self.version, self.years.1
        )
    }

    /// The silhouette its photos show.
    pub fn silhouette(&self) -> Body {
        Body::of(self.body)
    }
}

const FULL: &[&str] = &[
    "Ar-condicionado",
    "Direção elétrica",
    "Vidros elétricos",
    "Central multimídia",
    "Câmera de ré",
    "Sensor de estacionamento",
];
const BASIC: &[&str] = &["Ar-condicionado", "Direção elétrica", "Vidros elétricos"];
const TRUCK: &[&str] = &[
    "Ar-condicionado digital",
    "Tração 4x4",
    "Bancos de couro",
    "Controle de estabilidade",
    "Engate",
];

/// The stock: six cars sold in the last months (the margin chart) and
/// eight for sale in every stage, old and Mercosul plates.
#[rustfmt::skip]
pub(super) const VEHICLES: [VehicleSeed; 14] = [
    VehicleSeed {
        brand: "Chevrolet", model: "Onix", version: "LTZ 1.0 Turbo", years: (2020, 2021),
        price: reais(79_900), purchase: reais(67_800), mileage: 42_300,
        color: "Branco Summit", paint: [236, 238, 240], fuel: "flex", transmission: "automatico",
        body: "hatch", engine: "1.0 Turbo", plate: "FQA-3817",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: FULL,
        description: "Único dono, revisões na concessionária, manual e chave reserva.",
        client: Some(1),
        sale: Some(PastSale { days_ago: 150, buyer: 1, amount: reais(78_500), method: PaymentMethod::Pix }),
        cost: Some((Category::Higienizacao, reais(450), "Higienização interna e polimento")),
    },
    VehicleSeed {
        brand: "Hyundai", model: "HB20", version: "Comfort 1.0", years: (2020, 2020),
        price: reais(64_900), purchase: reais(55_200), mileage: 51_800,
        color: "Prata Sand", paint: [190, 192, 196], fuel: "flex", transmission: "manual",
        body: "hatch", engine: "1.0 12V", plate: "RFT4C21",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: BASIC,
        description: "Econômico, pneus novos, ótimo para o dia a dia.",
        client: Some(11),
        sale: Some(PastSale { days_ago: 122, buyer: 11, amount: reais(63_900), method: PaymentMethod::Financiamento }),
        cost: Some((Category::Mecanica, reais(1_280), "Troca de embreagem e revisão de freios")),
    },
    VehicleSeed {
        brand: "Fiat", model: "Toro", version: "Volcano 2.0 Diesel 4x4", years: (2021, 2021),
        price: reais(139_900), purchase: reais(121_500), mileage: 68_000,
        color: "Vermelho Modena", paint: [170, 28, 36], fuel: "diesel", transmission: "automatico",
        body: "picape", engine: "2.0 Turbodiesel", plate: "GHK2B34",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: TRUCK,
        description: "Capota marítima, protetor de caçamba e revisões em dia.",
        client: Some(7),
        sale: Some(PastSale { days_ago: 92, buyer: 7, amount: reais(137_000), method: PaymentMethod::Transferencia }),
        cost: Some((Category::Funilaria, reais(2_800), "Funilaria e pintura da tampa da caçamba")),
    },
    VehicleSeed {
        brand: "Jeep", model: "Compass", version: "Longitude 1.3 Turbo", years: (2022, 2022),
        price: reais(149_900), purchase: reais(131_000), mileage: 39_500,
        color: "Cinza Granite", paint: [92, 96, 102], fuel: "flex", transmission: "automatico",
        body: "suv", engine: "1.3 Turbo T270", plate: "PXR-6142",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: FULL,
        description: "Teto solar, bancos de couro e garantia de fábrica.",
        client: Some(9),
        sale: Some(PastSale { days_ago: 61, buyer: 9, amount: reais(147_500), method: PaymentMethod::Transferencia }),
        cost: Some((Category::Documentacao, reais(850), "Transferência e vistoria")),
    },
    VehicleSeed {
        brand: "Toyota", model: "Corolla", version: "Altis Hybrid 1.8", years: (2021, 2021),
        price: reais(128_900), purchase: reais(112_000), mileage: 47_100,
        color: "Prata Supernova", paint: [178, 182, 188], fuel: "hibrido", transmission: "cvt",
        body: "sedan", engine: "1.8 Híbrido", plate: "RUV1E52",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: FULL,
        description: "Híbrido, consumo de carro 1.0, todas as revisões na rede.",
        client: Some(10),
        sale: Some(PastSale { days_ago: 32, buyer: 10, amount: reais(126_000), method: PaymentMethod::Financiamento }),
        cost: Some((Category::Higienizacao, reais(380), "Higienização e cristalização da pintura")),
    },
    VehicleSeed {
        brand: "Toyota", model: "Corolla Cross", version: "XRE 2.0", years: (2023, 2023),
        price: reais(164_900), purchase: reais(146_000), mileage: 21_400,
        color: "Branco Lunar", paint: [242, 242, 238], fuel: "flex", transmission: "cvt",
        body: "suv", engine: "2.0 Dynamic Force", plate: "SBA3F19",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: FULL,
        description: "Garantia de fábrica até 2028, pacote Toyota Safety Sense.",
        client: Some(0),
        sale: None,
        cost: Some((Category::Documentacao, reais(920), "Transferência, laudo cautelar e emplacamento")),
    },
    VehicleSeed {
        brand: "Honda", model: "HR-V", version: "EXL 1.5 Turbo", years: (2023, 2023),
        price: reais(178_900), purchase: reais(159_000), mileage: 18_200,
        color: "Preto Cristal", paint: [34, 35, 40], fuel: "flex", transmission: "cvt",
        body: "suv", engine: "1.5 Turbo", plate: "TAJ8D61",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: FULL,
        description: "Versão topo de linha, Honda Sensing e garantia de fábrica.",
        client: None, sale: None, cost: None,
    },
    VehicleSeed {
        brand: "Renault", model: "Kwid", version: "Zen 1.0", years: (2022, 2023),
        price: reais(56_900), purchase: reais(47_500), mileage: 24_900,
        color: "Laranja Ocre", paint: [214, 110, 40], fuel: "flex", transmission: "manual",
        body: "hatch", engine: "1.0 SCe", plate: "RVC4H77",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: BASIC,
        description: "Ideal para o primeiro carro: econômico e com baixo custo de manutenção.",
        client: None, sale: None, cost: None,
    },
    VehicleSeed {
        brand: "Volkswagen", model: "T-Cross", version: "Comfortline 200 TSI", years: (2021, 2022),
        price: reais(119_900), purchase: reais(104_000), mileage: 45_600,
        color: "Cinza Platinum", paint: [140, 144, 150], fuel: "flex", transmission: "automatico",
        body: "suv", engine: "1.0 TSI", plate: "EZD-9031",
        phase: VehiclePhase::Preparacao, status: VehicleStatus::Ativo, features: FULL,
        description: "Em preparação: reparo do para-choque e revisão dos 50 mil km.",
        client: None, sale: None, cost: None,
    },
    VehicleSeed {
        brand: "Chevrolet", model: "S10", version: "LTZ 2.8 Diesel 4x4", years: (2020, 2020),
        price: reais(169_900), purchase: reais(148_000), mileage: 88_400,
        color: "Prata Switchblade", paint: [176, 180, 186], fuel: "diesel", transmission: "automatico",
        body: "picape", engine: "2.8 Turbodiesel", plate: "HMT-2215",
        phase: VehiclePhase::Entrada, status: VehicleStatus::Ativo, features: TRUCK,
        description: "Recém-chegada na troca; aguardando vistoria.",
        client: None, sale: None, cost: None,
    },
    VehicleSeed {
        brand: "Nissan", model: "Kicks", version: "SV 1.6 CVT", years: (2022, 2022),
        price: reais(102_900), purchase: reais(89_500), mileage: 33_100,
        color: "Vermelho Malbec", paint: [122, 26, 42], fuel: "flex", transmission: "cvt",
        body: "suv", engine: "1.6 16V", plate: "RTA2E47",
        phase: VehiclePhase::Reservado, status: VehicleStatus::Reservado, features: FULL,
        description: "Reservado com sinal; documentação em conferência.",
        client: Some(2), sale: None, cost: None,
    },
    VehicleSeed {
        brand: "Fiat", model: "Argo", version: "Drive 1.3", years: (2021, 2021),
        price: reais(68_900), purchase: reais(59_000), mileage: 47_200,
        color: "Azul Amalfi", paint: [40, 104, 170], fuel: "flex", transmission: "manual",
        body: "hatch", engine: "1.3 Firefly", plate: "QOK7J08",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: BASIC,
        description: "Central multimídia com Android Auto e Apple CarPlay.",
        client: None, sale: None, cost: None,
    },
    VehicleSeed {
        brand: "Toyota", model: "Hilux", version: "SRV 2.8 Diesel 4x4", years: (2019, 2019),
        price: reais(189_900), purchase: reais(167_000), mileage: 96_000,
        color: "Branco Perolizado", paint: [244, 243, 238], fuel: "diesel", transmission: "automatico",
        body: "picape", engine: "2.8 Turbodiesel", plate: "GAB-4521",
        phase: VehiclePhase::Anunciado, status: VehicleStatus::Ativo, features: TRUCK,
        description: "Ideal para frota: revisada, pneus novos e santo antônio.",
        client: None, sale: None, cost: None,
    },
    VehicleSeed {
        brand: "Chevrolet", model: "Onix Plus", version: "Premier 1.0 Turbo", years: (2023, 2023),
        price: reais(98_900), purchase: reais(86_000), mileage: 15_800,
        color: "Azul Eclipse", paint: [34, 54, 96], fuel: "flex", transmission: "automatico",
        body: "sedan", engine: "1.0 Turbo", plate: "SCU5G12",
        phase: VehiclePhase::Entrada, status: VehicleStatus::Ativo, features: FULL,
        description: "Acabou de chegar: fotos e anúncio em produção.",
        client: None, sale: None, cost: None,
    },
];

/// How a deal ends up.
enum Outcome {
    Open,
    Won,
    Lost(&'static str),
}

struct DealSeed {
    title: &'static str,
    client: usize,
    vehicle: Option<usize>,
    phase: DealPhase,
    value: i64,
    probability: i32,
    source: &'static str,
    tags: &'static [&'static str],
    description: Option<&'static str>,
    closes_in_days: i64,
    outcome: Outcome,
}

/// The pipeline: an open deal in every known phase, one won (its car is
/// sold, as through the API) and one lost.
#[rustfmt::skip]
const DEALS: [DealSeed; 10] = [
    DealSeed { title: "Kwid Zen 2023 — Ana Clara Ferreira", client: 5, vehicle: Some(7), phase: DealPhase::Lead,
        value: reais(56_900), probability: 20, source: "whatsapp", tags: &["primeiro-carro"],
        description: Some("Procura o primeiro carro; quer simular o financiamento."), closes_in_days: 25, outcome: Outcome::Open },
    DealSeed { title: "Onix Plus Premier 2023 — Rafael Nogueira Lima", client: 1, vehicle: Some(13), phase: DealPhase::Lead,
        value: reais(98_900), probability: 15, source: "site", tags: &["recompra"],
        description: Some("Comprou um Onix conosco; agora quer um sedã."), closes_in_days: 30, outcome: Outcome::Open },
    DealSeed { title: "HR-V EXL 2023 — Carlos Eduardo Ribeiro", client: 3, vehicle: Some(6), phase: DealPhase::Contato,
        value: reais(178_900), probability: 35, source: "showroom", tags: &["troca"],
        description: Some("Quer dar um Honda Fit 2015 na troca."), closes_in_days: 15, outcome: Outcome::Open },
    DealSeed { title: "T-Cross Comfortline — Beatriz Souza Carvalho", client: 4, vehicle: Some(8), phase: DealPhase::Visita,
        value: reais(119_900), probability: 45, source: "site", tags: &[],
        description: None, closes_in_days: 12, outcome: Outcome::Open },
    DealSeed { title: "Argo Drive 1.3 — Thiago Henrique Moreira", client: 6, vehicle: Some(11), phase: DealPhase::TestDrive,
        value: reais(68_900), probability: 55, source: "instagram", tags: &[],
        description: None, closes_in_days: 7, outcome: Outcome::Open },
    DealSeed { title: "Renovação da frota: duas picapes — Transportes Rota Sul", client: 7, vehicle: None, phase: DealPhase::Proposta,
        value: reais(330_000), probability: 50, source: "indicacao", tags: &["frota", "pj"],
        description: Some("Proposta de duas picapes diesel; aguarda aprovação da diretoria."), closes_in_days: 20, outcome: Outcome::Open },
    DealSeed { title: "Kicks SV 2022 — Juliana Pereira Martins", client: 2, vehicle: Some(10), phase: DealPhase::Negociacao,
        value: reais(99_900), probability: 75, source: "instagram", tags: &["a-vista"],
        description: Some("Pediu desconto para pagamento à vista; carro reservado com sinal."), closes_in_days: 5, outcome: Outcome::Open },
    DealSeed { title: "Hilux SRV 2019 — Transportes Rota Sul", client: 7, vehicle: Some(12), phase: DealPhase::Fechamento,
        value: reais(186_000), probability: 90, source: "indicacao", tags: &["frota", "pj"],
        description: Some("Falta a aprovação do crédito no banco."), closes_in_days: 3, outcome: Outcome::Open },
    DealSeed { title: "Corolla Cross XRE 2023 — Mariana Costa Almeida", client: 0, vehicle: Some(5), phase: DealPhase::Fechamento,
        value: reais(162_900), probability: 100, source: "indicacao", tags: &["recompra"],
        description: Some("Cliente recorrente; entrega agendada."), closes_in_days: 0, outcome: Outcome::Won },
    DealSeed { title: "S10 LTZ 2.8 — Clínica Bem Viver", client: 8, vehicle: Some(9), phase: DealPhase::Proposta,
        value: reais(169_900), probability: 40, source: "site", tags: &["pj"],
        description: None, closes_in_days: 0, outcome: Outcome::Lost("Fechou com outra revenda por um preço menor.") },
];

/// When an activity is due.
enum Due {
    /// `days` ago at `hh:mm`, local.
    DaysAgo(i64, u32, u32),
    /// Later today: the `n`th of [`today_slots`].
    Today(usize),
    /// In `days` at `hh:mm`, local.
    InDays(i64, u32, u32),
}

struct ActivitySeed {
    title: &'static str,
    kind: &'static str,
    due: Due,
    done: bool,
    client: Option<usize>,
    vehicle: Option<usize>,
    deal: Option<usize>,
}

/// Some overdue, some due later today, some ahead, some done.
#[rustfmt::skip]
const ACTIVITIES: [ActivitySeed; 10] = [
    ActivitySeed { title: "Retornar a ligação sobre a troca do Fit", kind: "ligacao", due: Due::DaysAgo(1, 10, 30),
        done: false, client: Some(3), vehicle: Some(6), deal: Some(2) },
    ActivitySeed { title: "Enviar a proposta da frota por e-mail", kind: "email", due: Due::DaysAgo(2, 16, 0),
        done: false, client: Some(7), vehicle: None, deal: Some(5) },
    ActivitySeed { title: "Test drive do Argo Drive", kind: "test_drive", due: Due::Today(0),
        done: false, client: Some(6), vehicle: Some(11), deal: Some(4) },
    ActivitySeed { title: "Visita da Beatriz ao showroom", kind: "visita", due: Due::Today(1),
        done: false, client: Some(4), vehicle: Some(8), deal: Some(3) },
    ActivitySeed { title: "Conferir a documentação do Kicks reservado", kind: "tarefa", due: Due::Today(2),
        done: false, client: Some(2), vehicle: Some(10), deal: Some(6) },
    ActivitySeed { title: "Entrega do Corolla Cross XRE", kind: "tarefa", due: Due::InDays(1, 10, 0),
        done: false, client: Some(0), vehicle: Some(5), deal: Some(8) },
    ActivitySeed { title: "Reunião com o banco sobre o crédito da frota", kind: "reuniao", due: Due::InDays(3, 14, 30),
        done: false, client: Some(7), vehicle: Some(12), deal: Some(7) },
    ActivitySeed { title: "Vistoria cautelar do T-Cross", kind: "tarefa", due: Due::DaysAgo(3, 9, 0),
        done: true, client: None, vehicle: Some(8), deal: None },
    ActivitySeed { title: "Mensagem de boas-vindas pelo WhatsApp", kind: "whatsapp", due: Due::DaysAgo(1, 11, 0),
        done: true, client: Some(5), vehicle: None, deal: Some(0) },
    ActivitySeed { title: "Ligação de pós-venda do Compass", kind: "ligacao", due: Due::DaysAgo(20, 15, 0),
        done: true, client: Some(9), vehicle: Some(3), deal: None },
];

/// The events the demo's webhook endpoint subscribes to: what an ERP
/// needs to know about sales.
pub(super) const WEBHOOK_EVENTS: [&str; 2] = ["deal.won", "vehicle.sold"];

/// Where the demo's endpoint points: a documentation domain (RFC 2606)
/// that no receiver answers for.
pub(super) const WEBHOOK_URL: &str = "https://erp.example.com/webhooks/vitrine";

/// Three due times later today (local): from the next half hour on, an
/// hour and a half apart, none past 23:30 (late at night they are due
/// today all the same, already past).
pub(super) fn today_slots(now: NaiveDateTime) -> [NaiveDateTime; 3] {
    let day = now.date();
    let minutes = now.time().hour_minutes();
    let start = (minutes / 30 + 2) * 30;
    let last = 23 * 60 + 30;
    [0, 1, 2].map(|i| {
        let m = (start + i * 90).min(last + i * 5);
        day.and_time(time(m / 60, m % 60))
    })
}

trait HourMinutes {
    fn hour_minutes(&self) -> u32;
}

impl HourMinutes for NaiveTime {
    fn hour_minutes(&self) -> u32 {
        use chrono::Timelike;
        self.hour() * 60 + self.minute()
    }
}

/// The first day of the month `back` months before `day`'s.
fn month_start(day: NaiveDate, back: u32) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    first.checked_sub_months(Months::new(back)).unwrap_or(first)
}

const MONTHS: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];

fn month_name(day: NaiveDate) -> &'static str {
    MONTHS[day.month0() as usize % 12]
}

/// Writes the dealership side. Returns nothing: every record is read back
/// through the APIs and the panel.
pub(super) async fn seed(tx: &mut Tx, ctx: &Ctx<'_>) -> anyhow::Result<()> {
    let account = ctx.account;
    // The endpoint is on while the demo writes, so the sales it follows
    // are queued for it (its deliveries show their payloads in the panel),
    // and turned off before the commit: an offline machine never sends
    // them. Turning it on in the panel sends them and, as the receiver
    // does not answer, ends with the endpoint disabled by its failures.
    let events: Vec<String> = WEBHOOK_EVENTS.iter().map(|e| (*e).to_owned()).collect();
    let mut endpoint = Endpoint {
        url: webhook::parse_url("url", WEBHOOK_URL).map_err(|e| anyhow::anyhow!(e.message))?,
        events: webhook::parse_events("events", &events)
            .map_err(|_| anyhow::anyhow!("demo webhook events"))?,
        active: true,
    };
    let webhook_id = WebhookId::new();
    tx.webhooks()
        .insert(account, webhook_id, &endpoint, &webhook::mint_secret())
        .await?;

    let mut clients = Vec::with_capacity(CLIENTS.len());
    for seed in &CLIENTS {
        clients.push(insert_client(tx, ctx, seed).await?);
    }
    let mut vehicle_ids = Vec::with_capacity(VEHICLES.len());
    for (i, seed) in VEHICLES.iter().enumerate() {
        vehicle_ids.push(insert_vehicle(tx, ctx, i, seed, &clients).await?);
    }
    let ctx = &Ctx {
        vehicle_ids: &vehicle_ids,
        ..*ctx
    };
    sales_and_records(tx, ctx, &clients).await?;
    let deals = pipeline(tx, ctx, &clients).await?;
    activities(tx, ctx, &clients, &deals).await?;

    endpoint.active = false;
    tx.webhooks().update(account, webhook_id, &endpoint).await?;
    Ok(())
}

async fn insert_client(tx: &mut Tx, ctx: &Ctx<'_>, seed: &ClientSeed) -> anyhow::Result<ClientId> {
    let mut c = Client::new(seed.kind, seed.name.to_owned());
    c.email = Some(seed.email.to_owned());
    c.phone = Some(seed.phone.to_owned());
    match seed.kind {
        ClientType::Pf => {
            c.cpf = Some(seed.document.to_owned());
            c.mobile_phone = Some(seed.phone.to_owned());
            c.whatsapp = Some(seed.phone.to_owned());
            c.nationality = Some("brasileira".to_owned());
        }
        ClientType::Pj => {
            c.cnpj = Some(seed.document.to_owned());
            c.legal_name = Some(seed.name.to_owned());
            c.trade_name = seed.name.strip_suffix(" Ltda").map(str::to_owned);
        }
    }
    c.segment = Some(seed.segment);
    c.source = Some(seed.source.to_owned());
    c.store_id = Some(ctx.store);
    c.tags = seed.tags.iter().map(|t| (*t).to_owned()).collect();
    c.address = Some(Address {
        street: Some(seed.street.to_owned()),
        number: Some(seed.number.to_owned()),
        complement: None,
        neighborhood: Some(seed.neighborhood.to_owned()),
        city: Some(seed.city.to_owned()),
        state: Some(seed.state.to_owned()),
        zip_code: Some(seed.zip.to_owned()),
        country: Some("Brasil".to_owned()),
    });
    let saved = crm::clients::create(tx, ctx.account, draft(c)).await?;
    Ok(saved.id)
}

async fn insert_vehicle(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    i: usize,
    seed: &VehicleSeed,
    clients: &[ClientId],
) -> anyhow::Result<VehicleId> {
    let mut v = Vehicle::new(seed.title(), ctx.store);
    v.brand = Some(seed.brand.to_owned());
    v.model = Some(seed.model.to_owned());
    v.version = Some(seed.version.to_owned());
    (v.year_manufacture, v.year_model) = (Some(seed.years.0), Some(seed.years.1));
    v.price = Some(Money::from_cents(seed.price));
    v.purchase_price = Some(Money::from_cents(seed.purchase));
    v.mileage = Some(seed.mileage);
    v.color = Some(seed.color.to_owned());
    v.fuel = Some(seed.fuel.to_owned());
    v.transmission = Some(seed.transmission.to_owned());
    v.body_type = Some(seed.body.to_owned());
    v.doors = Some(if seed.body == "picape" { 4 } else { 5 });
    v.engine = Some(seed.engine.to_owned());
    v.plate = Some(seed.plate.to_owned());
    v.client_id = seed.client.map(|c| clients[c]);
    v.phase = seed.phase.clone();
    v.status = seed.status.clone();
    v.features = Some(seed.features.iter().map(|f| (*f).to_owned()).collect());
    v.description = Some(seed.description.to_owned());
    // The API's URL rule, as `POST /vehicles` applies it to `photos`.
    let photos: Result<Vec<String>, _> = ctx.photos[i]
        .iter()
        .map(|url| vitrine_core::text::http_url("photos", url))
        .collect();
    v.photos = Some(photos.map_err(|e| anyhow::anyhow!(e.message))?);
    let saved = crm::vehicles::create(tx, ctx.account, draft(v)).await?;
    Ok(saved.id)
}

/// The demo's own records, already the account's: nothing for the use
/// case to look up.
fn draft<T>(value: T) -> Draft<T> {
    Draft::new(value, References::default())
}

/// Writes a financial record as `POST /financial` does (`financial.created`,
/// `financial.paid`, the stock follows a paid vehicle sale); a paid record
/// keeps the day it was paid.
async fn record(tx: &mut Tx, ctx: &Ctx<'_>, r: FinancialRecord) -> anyhow::Result<()> {
    r.check()
        .map_err(|p| anyhow::anyhow!("demo financial record: {p:?}"))?;
    finance::records::create(tx, ctx.account, draft(r)).await?;
    Ok(())
}

fn entry(
    ctx: &Ctx<'_>,
    category: Category,
    amount: i64,
    description: String,
    due: NaiveDate,
    paid: bool,
) -> FinancialRecord {
    let paid_at = paid.then(|| ctx.at(due.and_time(time(14, 0))).min(ctx.now));
    FinancialRecord {
        kind: category.record_type(),
        category,
        description: Some(description),
        amount: Money::from_cents(amount),
        status: if paid {
            FinancialStatus::Paid
        } else {
            FinancialStatus::Pending
        },
        payment_method: None,
        due_date: Some(due),
        paid_at,
        vehicle_id: None,
        deal_id: None,
        client_id: None,
        store_id: Some(ctx.store),
    }
}

/// The past sales with their preparation costs and commissions, six months
/// of running expenses, a payable and a receivable.
async fn sales_and_records(tx: &mut Tx, ctx: &Ctx<'_>, clients: &[ClientId]) -> anyhow::Result<()> {
    let today = ctx.today();
    for (i, seed) in VEHICLES.iter().enumerate() {
        let vehicle = ctx.vehicle_ids[i];
        let sold_on = seed
            .sale
            .as_ref()
            .map_or(today, |s| today - Duration::days(s.days_ago));
        if let Some((category, amount, what)) = seed.cost {
            let mut r = entry(
                ctx,
                category,
                amount,
                what.to_owned(),
                sold_on - Duration::days(12),
                true,
            );
            r.vehicle_id = Some(vehicle);
            r.payment_method = Some(PaymentMethod::Pix);
            record(tx, ctx, r).await?;
        }
        if let Some(sale) = &seed.sale {
            let mut r = entry(
                ctx,
                Category::VendaVeiculo,
                sale.amount,
                format!("Venda {} — {}", seed.title(), CLIENTS[sale.buyer].name),
                sold_on,
                true,
            );
            r.vehicle_id = Some(vehicle);
            r.client_id = Some(clients[sale.buyer]);
            r.payment_method = Some(sale.method);
            record(tx, ctx, r).await?;
            if sale.method == PaymentMethod::Financiamento {
                let mut c = entry(
                    ctx,
                    Category::Financiamento,
                    sale.amount / 40,
                    format!("Comissão do financiamento — {}", seed.title()),
                    sold_on + Duration::days(5).min(today - sold_on),
                    true,
                );
                c.vehicle_id = Some(vehicle);
                c.payment_method = Some(PaymentMethod::Transferencia);
                record(tx, ctx, c).await?;
            }
        }
    }
    for back in 0..6 {
        let month = month_start(today, back);
        let name = month_name(month);
        let on = |day: i64| (month + Duration::days(day - 1)).min(today);
        for (category, amount, what, day) in [
            (
                Category::Aluguel,
                reais(9_500),
                format!("Aluguel do galpão — {name}"),
                5,
            ),
            (
                Category::Pessoal,
                reais(18_400),
                format!("Folha de pagamento — {name}"),
                5,
            ),
            (
                Category::Tecnologia,
                reais(690),
                format!("Sistemas e internet — {name}"),
                10,
            ),
        ] {
            let mut r = entry(ctx, category, amount, what, on(day), true);
            r.payment_method = Some(PaymentMethod::Boleto);
            record(tx, ctx, r).await?;
        }
        if back % 2 == 1 {
            let what = format!("Anúncios em portais e redes sociais — {name}");
            let mut r = entry(ctx, Category::Marketing, reais(2_400), what, on(15), true);
            r.payment_method = Some(PaymentMethod::Cartao);
            record(tx, ctx, r).await?;
        }
    }
    let mut insurance = entry(
        ctx,
        Category::Seguro,
        reais(780),
        "Comissão do seguro — Jeep Compass".to_owned(),
        today - Duration::days(58),
        true,
    );
    insurance.vehicle_id = Some(ctx.vehicle_ids[3]);
    record(tx, ctx, insurance).await?;
    let mut repair = entry(
        ctx,
        Category::Funilaria,
        reais(1_650),
        "Reparo do para-choque do T-Cross".to_owned(),
        today + Duration::days(5),
        false,
    );
    repair.vehicle_id = Some(ctx.vehicle_ids[8]);
    repair.payment_method = Some(PaymentMethod::Boleto);
    record(tx, ctx, repair).await
}

/// Writes the deals; returns their ids in [`DEALS`] order. The won one is
/// created open and then won, as the kanban's *Ganho* does (`deal.won`,
/// its car sold), and its sale recorded as paid; the lost one likewise
/// lost.
async fn pipeline(tx: &mut Tx, ctx: &Ctx<'_>, clients: &[ClientId]) -> anyhow::Result<Vec<DealId>> {
    let account = ctx.account;
    let mut ids = Vec::with_capacity(DEALS.len());
    for seed in &DEALS {
        let mut d = Deal::new(seed.title.to_owned());
        d.client_id = Some(clients[seed.client]);
        d.vehicle_id = seed.vehicle.map(|v| ctx.vehicle_ids[v]);
        d.store_id = Some(ctx.store);
        d.phase = seed.phase.clone();
        d.value = Some(Money::from_cents(seed.value));
        d.probability = Some(seed.probability);
        d.source = Some(seed.source.to_owned());
        d.tags = seed.tags.iter().map(|t| (*t).to_owned()).collect();
        d.description = seed.description.map(str::to_owned);
        d.expected_close_date = Some(ctx.today() + Duration::days(seed.closes_in_days));
        let id = crm::deals::create(tx, account, draft(d.clone())).await?.id;
        ids.push(id);

        match seed.outcome {
            Outcome::Open => continue,
            Outcome::Won => crm::deals::close_won(tx, account, id, None).await?,
            Outcome::Lost(reason) => {
                crm::deals::close_lost(tx, account, id, Some(reason.to_owned())).await?
            }
        };

        if let (Outcome::Won, Some(v)) = (&seed.outcome, seed.vehicle) {
            let mut sale = entry(
                ctx,
                Category::VendaVeiculo,
                seed.value,
                format!(
                    "Venda {} — {}",
                    VEHICLES[v].title(),
                    CLIENTS[seed.client].name
                ),
                ctx.today(),
                true,
            );
            sale.vehicle_id = d.vehicle_id;
            sale.deal_id = Some(id);
            sale.client_id = d.client_id;
            sale.payment_method = Some(PaymentMethod::Transferencia);
            record(tx, ctx, sale).await?;
            let mut commission = entry(
                ctx,
                Category::Financiamento,
                reais(3_100),
                format!("Comissão do financiamento — {}", VEHICLES[v].title()),
                ctx.today() + Duration::days(10),
                false,
            );
            commission.vehicle_id = d.vehicle_id;
            commission.deal_id = Some(id);
            record(tx, ctx, commission).await?;
        }
    }
    Ok(ids)
}

async fn activities(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    clients: &[ClientId],
    deals: &[DealId],
) -> anyhow::Result<()> {
    let account = ctx.account;
    let today = today_slots(ctx.zone.local(ctx.now));
    for seed in &ACTIVITIES {
        let mut a = Activity::new(seed.title.to_owned());
        a.kind = seed.kind.to_owned();
        a.due_date = Some(match seed.due {
            Due::DaysAgo(d, h, m) => ctx.days_ago(d, h, m),
            Due::Today(n) => ctx.at(today[n.min(today.len() - 1)]),
            Due::InDays(d, h, m) => ctx.days_ago(-d, h, m),
        });
        a.client_id = seed.client.map(|c| clients[c]);
        a.vehicle_id = seed.vehicle.map(|v| ctx.vehicle_ids[v]);
        a.deal_id = seed.deal.map(|d| deals[d]);
        a.store_id = Some(ctx.store);
        if seed.done {
            a.status = ActivityStatus::Completed;
        }
        let saved = crm::activities::create(tx, account, draft(a))
            .await
            .context("demo activity")?;
        if seed.done {
            // Done when it was due, not when the demo was made (the state
            // a `PATCH {"status": "completed"}` on that day left).
            let mut done = saved.activity;
            done.completed_at = done.due_date.map(|due| due.min(ctx.now));
            tx.activities()
                .update(account, saved.id, &done, false)
                .await
                .context("demo activity")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrine_core::doc::{Cnpj, Cpf, Plate, PlateKind, Strictness};

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 10)
            .expect("date")
            .and_time(time(h, m))
    }

    #[test]
    fn today_slots_are_later_today_and_never_tomorrow() {
        let slots = today_slots(at(9, 10));
        assert_eq!(slots, [at(10, 0), at(11, 30), at(13, 0)]);
        for now in [at(0, 0), at(14, 45), at(21, 0), at(23, 50)] {
            for s in today_slots(now) {
                assert_eq!(s.date(), now.date(), "{now} → {s}");
            }
        }
        assert!(today_slots(at(14, 45)).iter().all(|s| *s > at(14, 45)));
    }

    #[test]
    fn documents_are_valid_and_not_the_quickstarts() {
        let examples = ["12345678900", "98765432100", "12345678000190"];
        for c in &CLIENTS {
            let digits = vitrine_core::doc::digits_key(c.document);
            assert!(!examples.contains(&digits.as_str()), "{}", c.name);
            match c.kind {
                ClientType::Pf => assert!(
                    Cpf::parse(c.document, Strictness::Strict).is_ok(),
                    "{}",
                    c.name
                ),
                ClientType::Pj => assert!(
                    Cnpj::parse(c.document, Strictness::Strict).is_ok(),
                    "{}",
                    c.name
                ),
            }
        }
        let mut docs: Vec<String> = CLIENTS
            .iter()
            .map(|c| vitrine_core::doc::digits_key(c.document))
            .collect();
        docs.sort();
        docs.dedup();
        assert_eq!(docs.len(), CLIENTS.len(), "no two clients share a document");
    }

    #[test]
    fn plates_are_valid_unique_and_of_both_formats() {
        let plates: Vec<Plate> = VEHICLES
            .iter()
            .map(|v| Plate::parse(v.plate).expect(v.plate))
            .collect();
        assert!(plates.iter().any(|p| p.kind() == PlateKind::Mercosul));
        assert!(plates.iter().any(|p| p.kind() == PlateKind::Old));
        let mut keys: Vec<&str> = plates.iter().map(Plate::normalized).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), VEHICLES.len());
        assert!(
            !keys.contains(&"ABC1D23"),
            "the quickstart's plate stays free"
        );
    }

    #[test]
    fn every_sold_car_shows_a_margin_and_the_pipeline_covers_every_phase() {
        for v in VEHICLES.iter().filter(|v| v.sale.is_some()) {
            assert!(
                v.purchase < v.sale.as_ref().map_or(0, |s| s.amount),
                "{}",
                v.title()
            );
        }
        for phase in DealPhase::KNOWN {
            assert!(
                DEALS
                    .iter()
                    .any(|d| d.phase == *phase && matches!(d.outcome, Outcome::Open)),
                "{phase:?}"
            );
        }
        assert!(DEALS.iter().any(|d| matches!(d.outcome, Outcome::Won)));
        assert!(DEALS.iter().any(|d| matches!(d.outcome, Outcome::Lost(_))));
        for d in &DEALS {
            assert!(d.client < CLIENTS.len() && d.vehicle.is_none_or(|v| v < VEHICLES.len()));
        }
        for a in &ACTIVITIES {
            assert!(a.deal.is_none_or(|d| d < DEALS.len()));
        }
        for e in WEBHOOK_EVENTS {
            assert!(webhook::EVENTS.contains(&e), "{e}");
        }
    }
}
