//! `serve --demo`: on an empty database, a demo tenant whose credentials are
//! printed once; on a database with data, nothing secret is printed.

use serde_json::Value;
use vitrine_core::catalog::ProductType;
use vitrine_core::client::{Client, ClientType, Segment};
use vitrine_core::credentials::random_base62;
use vitrine_core::deal::{Deal, DealPhase};
use vitrine_core::ids::{AccountId, ClientId, DealId, ShopScope, StoreId, VehicleId};
use vitrine_core::money::Money;
use vitrine_core::tenancy::BootstrapRequest;
use vitrine_core::vehicle::Vehicle;
use vitrine_store::categories::{CategoryFields, CategoryRef};
use vitrine_store::products::ProductFields;
use vitrine_store::Store;

use crate::cli;

/// Creates the demo tenant if the database has no account. Returns the JSON
/// to print (with the generated panel password), or `None` when it did nothing.
pub async fn seed_if_empty(store: &Store, base_url: &str) -> anyhow::Result<Option<Value>> {
    if store.conn().await?.accounts().count().await? > 0 {
        return Ok(None);
    }
    let password = random_base62(16);
    let req = BootstrapRequest {
        account_name: "Demo".to_owned(),
        store_name: "Loja Demo".to_owned(),
        email: "demo@vitrine.local".to_owned(),
        password: password.clone(),
    };
    let plan = cli::bootstrap(store, &req).await?;
    sample_data(store, plan.account_id, plan.store_id).await?;
    let mut out = cli::bootstrap_json(&plan);
    if let Value::Object(map) = &mut out {
        map.insert("user_password".to_owned(), Value::String(password));
        map.insert(
            "api_base_url".to_owned(),
            Value::String(format!("{base_url}/api/v1")),
        );
        map.insert(
            "loja_base_url".to_owned(),
            Value::String(base_url.to_owned()),
        );
        map.insert(
            "panel_url".to_owned(),
            Value::String(format!("{base_url}/painel")),
        );
    }
    Ok(Some(out))
}

/// A few records in each face so a first look at the APIs and the panel
/// shows something: two clients, three vehicles, a deal, and a store
/// catalogue with a category and two products. One transaction.
async fn sample_data(store: &Store, account: AccountId, shop: StoreId) -> anyhow::Result<()> {
    let mut tx = store.begin().await?;

    // Documents differ from the quickstart's examples (123.456.789-00,
    // 12.345.678/0001-90), so following the quickstart on the demo never
    // meets a duplicate.
    let mut maria = Client::new(ClientType::Pf, "Maria Oliveira".to_owned());
    maria.email = Some("maria@example.com".to_owned());
    maria.phone = Some("+55 11 98888-7777".to_owned());
    maria.cpf = Some("529.982.247-25".to_owned());
    maria.segment = Some(Segment::Premium);
    let maria_id = ClientId::new();
    tx.clients().insert(account, maria_id, &maria).await?;
    let mut pecas = Client::new(ClientType::Pj, "AutoPeças Ltda".to_owned());
    pecas.cnpj = Some("11.222.333/0001-81".to_owned());
    pecas.email = Some("contato@autopecas.com.br".to_owned());
    tx.clients()
        .insert(account, ClientId::new(), &pecas)
        .await?;

    let mut first = None;
    for (brand, model, year, price) in [
        ("Honda", "Civic EXL", 2022, 14_290_000),
        ("Toyota", "Corolla XEi", 2021, 12_500_000),
        ("Volkswagen", "T-Cross Highline", 2023, 16_500_000),
    ] {
        let mut v = Vehicle::new(format!("{brand} {model} {year}"), shop);
        v.brand = Some(brand.to_owned());
        v.model = Some(model.to_owned());
        v.year_model = Some(year);
        v.year_manufacture = Some(year);
        v.price = Some(Money::from_cents(price));
        v.fuel = Some("flex".to_owned());
        v.transmission = Some("automatico".to_owned());
        let id = VehicleId::new();
        tx.vehicles().insert(account, id, &v).await?;
        first.get_or_insert(id);
    }
    let mut deal = Deal::new("Civic EXL — Maria Oliveira".to_owned());
    deal.client_id = Some(maria_id);
    deal.vehicle_id = first;
    deal.value = Some(Money::from_cents(14_290_000));
    deal.phase = DealPhase::Proposta;
    deal.probability = Some(60);
    deal.store_id = Some(shop);
    tx.deals().insert(account, DealId::new(), &deal).await?;

    let category = CategoryFields {
        name: "Tintas".to_owned(),
        status: true,
        hot_page: 1,
        ..CategoryFields::default()
    };
    let category = tx
        .categories()
        .insert_category(ShopScope::new(account, shop), "tintas", &category)
        .await?;
    // SKUs unlike the document's examples (123123, 182577…), which a reader
    // may insert while following it.
    for (sku, name, price, stock) in [
        ("DEMO-001", "Fone de Ouvidos Bluetooth", 15_023, 2),
        ("DEMO-002", "Tinta Látex Acrílica 18L", 19_447, 10),
    ] {
        let fields = ProductFields {
            name: name.to_owned(),
            url: vitrine_core::catalog::slug(name),
            price,
            stock,
            weight: 200,
            status: true,
            ..ProductFields::default()
        };
        let scope = ShopScope::new(account, shop);
        let product = tx
            .products()
            .insert(scope, sku, ProductType::Simple, &fields)
            .await?;
        tx.categories()
            .link(scope, product.id, CategoryRef::Category(category.id))
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
