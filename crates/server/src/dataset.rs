//! `vitrine dataset …`: generates benchmark datasets through the same
//! repositories the APIs write with (bench/README.md). Rows go in batches of
//! one transaction each, so a million products take minutes, not hours.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};
use vitrine_core::catalog::ProductType;
use vitrine_core::client::{Client, ClientType};
use vitrine_core::ids::{AccountId, ClientId, ShopScope, StoreId, VehicleId};
use vitrine_core::money::Money;
use vitrine_core::tenancy::BootstrapRequest;
use vitrine_core::vehicle::{Vehicle, VehiclePhase, VehicleStatus};
use vitrine_store::categories::{CategoryFields, CategoryRef};
use vitrine_store::products::ProductFields;
use vitrine_store::variations::UnitFields;
use vitrine_store::varieties::NewVariety;
use vitrine_store::Store;

use crate::cli;

/// Rows per transaction.
const BATCH: usize = 2_000;

const BRANDS: [(&str, [&str; 3]); 6] = [
    ("Honda", ["Civic", "City", "HR-V"]),
    ("Toyota", ["Corolla", "Yaris", "Hilux"]),
    ("Volkswagen", ["Gol", "Polo", "T-Cross"]),
    ("Chevrolet", ["Onix", "Tracker", "S10"]),
    ("Fiat", ["Argo", "Pulse", "Toro"]),
    ("Hyundai", ["HB20", "Creta", "Tucson"]),
];

fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let style =
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar
}

async fn tenant(store: &Store, n: usize) -> anyhow::Result<vitrine_core::tenancy::BootstrapPlan> {
    let req = BootstrapRequest {
        account_name: format!("Bench {n}"),
        store_name: format!("Loja {n}"),
        email: format!("bench-{n}-{}@vitrine.local", uuid::Uuid::new_v4().simple()),
        password: vitrine_core::credentials::random_base62(16),
    };
    cli::bootstrap(store, &req).await
}

/// `accounts` accounts with `vehicles` vehicles spread evenly among them,
/// varied in brand, model, year, price, status and phase, a tenth linked to
/// a client. Prints the accounts' keys and store ids as JSON.
pub async fn vehicles(store: &Store, accounts: usize, vehicles: usize) -> anyhow::Result<Value> {
    let bar = progress(vehicles as u64, "vehicles");
    let mut out = Vec::new();
    let per_account = vehicles.div_ceil(accounts.max(1));
    let mut made = 0usize;
    for a in 0..accounts {
        let plan = tenant(store, a).await?;
        let account: AccountId = plan.account_id;
        let store_id: StoreId = plan.store_id;
        // A handful of clients per account for the embedded `client {id, name}`.
        let mut tx = store.begin().await?;
        let mut clients = Vec::new();
        for c in 0..20 {
            let client = Client::new(ClientType::Pf, format!("Cliente {c}"));
            let id = ClientId::new();
            tx.clients()
                .insert(account, id, &client)
                .await
                .context("insert client")?;
            clients.push(id);
        }
        tx.commit().await?;
        let count = per_account.min(vehicles - made);
        let mut i = 0;
        while i < count {
            let mut tx = store.begin().await?;
            for _ in 0..BATCH.min(count - i) {
                let n = made + i;
                let (brand, models) = BRANDS[n % BRANDS.len()];
                let model = models[(n / BRANDS.len()) % models.len()];
                let year = 2008 + (n % 17) as i32;
                let mut v = Vehicle::new(format!("{brand} {model} {year}"), store_id);
                v.brand = Some(brand.to_owned());
                v.model = Some(model.to_owned());
                v.year_model = Some(year);
                v.year_manufacture = Some(year - i32::from(n.is_multiple_of(2)));
                v.price = Some(Money::from_cents(3_000_000 + (n as i64 % 250) * 100_000));
                v.mileage = Some((n as i64 % 200) * 1_000);
                v.color = Some(["preto", "branco", "prata", "vermelho"][n % 4].to_owned());
                v.fuel = Some("flex".to_owned());
                v.transmission = Some(
                    if n.is_multiple_of(3) {
                        "manual"
                    } else {
                        "automatico"
                    }
                    .to_owned(),
                );
                v.plate = Some(format!(
                    "B{:02}{}{:04}",
                    a % 100,
                    (b'A' + (n % 26) as u8) as char,
                    n % 10_000
                ));
                v.status = [
                    VehicleStatus::Ativo,
                    VehicleStatus::Ativo,
                    VehicleStatus::Reservado,
                    VehicleStatus::Vendido,
                ][n % 4]
                    .clone();
                v.phase = [
                    VehiclePhase::Anunciado,
                    VehiclePhase::Preparacao,
                    VehiclePhase::Entrada,
                ][n % 3]
                    .clone();
                v.client_id = (n.is_multiple_of(10)).then(|| clients[n % clients.len()]);
                // Plates only need to be unique among in-stock vehicles; keep them unique anyway.
                v.plate = Some(format!("{}{}", v.plate.as_deref().unwrap_or_default(), n));
                tx.vehicles()
                    .insert(account, VehicleId::new(), &v)
                    .await
                    .context("insert vehicle")?;
                i += 1;
                bar.inc(1);
            }
            tx.commit().await?;
        }
        made += count;
        out.push(json!({
            "account_id": account.to_string(),
            "store_id": store_id.to_string(),
            "api_key": plan.api_key.secret.plaintext,
        }));
    }
    bar.finish();
    Ok(json!({"accounts": out, "vehicles": made}))
}

/// One store with `products` products: 80 % simple (`S<n>`), 10 % with
/// three variations (`V<n>`, units `V<n>-<k>`), 10 % with four grids
/// (`G<n>`, units `G<n>-<k>`); names with accents (`Tinta Látex Acrílica
/// <n>`); every product linked to one of 1,000 subcategories (`sub-<k>`).
pub async fn catalog(store: &Store, products: usize) -> anyhow::Result<Value> {
    let plan = tenant(store, 0).await?;
    let (account, shop) = (plan.account_id, plan.store_id);
    let scope = ShopScope::new(account, shop);
    let mut tx = store.begin().await?;
    let mut varieties = Vec::new();
    for name in ["Azul", "Vermelho", "Branco Neve"] {
        let new = NewVariety {
            name: name.to_owned(),
            status: true,
            ..NewVariety::default()
        };
        varieties.push(tx.varieties().insert_variety(scope, &new).await?.id);
    }
    let mut grids = Vec::new();
    for name in ["P", "M"] {
        grids.push(tx.varieties().insert_grid(scope, name, 0, true).await?.id);
    }
    let mut subcategories = Vec::new();
    for c in 0..50 {
        let fields = CategoryFields {
            name: format!("Categoria {c}"),
            status: true,
            hot_page: 1,
            ..CategoryFields::default()
        };
        let category = tx
            .categories()
            .insert_category(scope, &format!("cat-{c}"), &fields)
            .await?;
        for s in 0..20 {
            let k = c * 20 + s;
            let fields = CategoryFields {
                name: format!("Subcategoria {k}"),
                status: true,
                ..CategoryFields::default()
            };
            let sub = tx
                .categories()
                .insert_subcategory(
                    scope,
                    CategoryRef::Category(category.id),
                    &format!("sub-{k}"),
                    &fields,
                )
                .await?;
            subcategories.push(sub.id);
        }
    }
    tx.commit().await?;

    let bar = progress(products as u64, "products");
    let mut n = 0;
    while n < products {
        let mut tx = store.begin().await?;
        for _ in 0..BATCH.min(products - n) {
            let (prefix, kind) = match n % 10 {
                8 => ("V", ProductType::Variation),
                9 => ("G", ProductType::Grid),
                _ => ("S", ProductType::Simple),
            };
            let sku = format!("{prefix}{n}");
            let fields = ProductFields {
                name: format!("Tinta Látex Acrílica {n}"),
                url: format!("tinta-latex-acrilica-{n}"),
                price: 5_000 + (n as i64 % 500) * 100,
                stock: (n as i64 % 50) + 1,
                weight: 200,
                status: true,
                ..ProductFields::default()
            };
            let product = tx.products().insert(scope, &sku, kind, &fields).await?;
            let unit = |k: usize| UnitFields {
                sku: format!("{sku}-{k}"),
                price: fields.price,
                stock: 10,
                status: true,
                ..UnitFields::default()
            };
            match kind {
                ProductType::Variation => {
                    for (k, variety) in varieties.iter().enumerate() {
                        tx.variations()
                            .insert_variation(scope, product.id, *variety, &unit(k))
                            .await?;
                    }
                }
                ProductType::Grid => {
                    let mut k = 0;
                    for variety in &varieties[..2] {
                        for grid in &grids {
                            tx.variations()
                                .insert_grid(scope, product.id, *variety, *grid, &unit(k))
                                .await?;
                            k += 1;
                        }
                    }
                }
                ProductType::Simple => {}
            }
            let sub = subcategories[n % subcategories.len()];
            tx.categories()
                .link(scope, product.id, CategoryRef::Subcategory(sub))
                .await?;
            n += 1;
            bar.inc(1);
        }
        tx.commit().await?;
    }
    bar.finish();
    Ok(json!({
        "account_id": account.to_string(),
        "store_id": shop.to_string(),
        "loja_token": plan.credentials.loja_token(),
        "products": products,
        "subcategories": subcategories.len(),
    }))
}
