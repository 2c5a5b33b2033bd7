//! `serve --demo`: on an empty database, a demo tenant whose credentials
//! are printed once; on a database with data, nothing secret is printed.
//!
//! The tenant is a dealership in Campinas that also runs an online
//! accessories shop, with enough data for every screen to show what it is
//! for: clients, a stock with photos, the pipeline, the day's activities,
//! six months of financial records (the charts), a catalogue with images,
//! orders and a webhook endpoint (docs/demo.md). Images are drawn here and
//! stored in the media store, so the demo needs no internet; the database
//! part is one transaction, so a failed demo leaves no half-made account.

mod art;
mod crm;
mod shop;

use std::io::Write as _;
use std::net::SocketAddr;

use bytes::Bytes;
use serde_json::Value;
use vitrine_app::tenancy as app_tenancy;
use vitrine_core::credentials::random_base62;
use vitrine_core::ids::StoreId;
use vitrine_core::media::{random_digits, stored_name, ImageKind};
use vitrine_core::tenancy::BootstrapRequest;
use vitrine_store::media::Media;
use vitrine_store::Store;

use crate::cli;

/// The demo user's e-mail (panel sign-in, `users reset-password`).
pub const DEMO_EMAIL: &str = "demo@vitrine.local";

/// The base URL the demo's links and photo URLs use: the listening
/// address, with an unspecified host (`0.0.0.0`, `[::]`) read as this
/// machine's loopback, which a browser can open.
pub fn base_url(addr: SocketAddr) -> String {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("http://{addr}")
}

/// Files written to the media store, deleted again if the demo fails.
struct Written<'a> {
    media: &'a Media,
    keys: Vec<String>,
}

impl Written<'_> {
    async fn put(&mut self, key: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.media.put(&key, Bytes::from(bytes)).await?;
        self.keys.push(key);
        Ok(())
    }

    async fn discard(self) {
        for key in &self.keys {
            if let Err(e) = self.media.delete(key).await {
                tracing::warn!(error = ?e, "could not delete a demo image");
            }
        }
    }
}

/// Every illustration, drawn: each vehicle's photos (showroom, street)
/// and each product's image.
struct Drawings {
    vehicles: Vec<[Vec<u8>; 2]>,
    products: Vec<Vec<u8>>,
}

/// One picture to draw.
#[derive(Clone, Copy)]
enum Picture {
    Vehicle(usize, art::Scene),
    Product(usize),
}

impl Picture {
    fn draw(self) -> Result<Vec<u8>, image::ImageError> {
        match self {
            Picture::Vehicle(i, scene) => {
                let v = &crm::VEHICLES[i];
                art::vehicle_photo(v.silhouette(), v.paint, scene)
            }
            Picture::Product(i) => {
                let p = &shop::PRODUCTS[i];
                art::product_image(p.icon, p.colour, shop::CATEGORIES[p.category].1)
            }
        }
    }
}

/// Draws every picture, spread over the machine's cores (CPU work: run it
/// off the async threads).
fn draw() -> anyhow::Result<Drawings> {
    let scenes = [art::Scene::Showroom, art::Scene::Street];
    let mut pictures: Vec<Picture> = (0..crm::VEHICLES.len())
        .flat_map(|i| scenes.map(|scene| Picture::Vehicle(i, scene)))
        .collect();
    pictures.extend((0..shop::PRODUCTS.len()).map(Picture::Product));
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut drawn: Vec<Option<Vec<u8>>> = vec![None; pictures.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let pictures = &pictures;
                scope.spawn(move || {
                    (w..pictures.len())
                        .step_by(workers)
                        .map(|i| pictures[i].draw().map(|png| (i, png)))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        for handle in handles {
            let done = handle
                .join()
                .map_err(|_| anyhow::anyhow!("a demo drawing panicked"))??;
            for (i, png) in done {
                drawn[i] = Some(png);
            }
        }
        anyhow::Ok(())
    })?;
    let mut drawn = drawn.into_iter().map(|p| p.unwrap_or_default());
    let vehicles = (0..crm::VEHICLES.len())
        .map(|_| {
            [
                drawn.next().unwrap_or_default(),
                drawn.next().unwrap_or_default(),
            ]
        })
        .collect();
    Ok(Drawings {
        vehicles,
        products: drawn.collect(),
    })
}

/// Stores the drawings; returns each vehicle's photo URLs (absolute, on
/// this server: the Auto API's `photos` are URLs) and each product's
/// stored image path (`media/<key>`, as Loja uploads are kept).
async fn store_drawings(
    files: &mut Written<'_>,
    drawings: Drawings,
    shop_id: StoreId,
    base: &str,
) -> anyhow::Result<(Vec<Vec<String>>, Vec<String>)> {
    let mut photos = Vec::with_capacity(drawings.vehicles.len());
    for pictures in drawings.vehicles {
        // Named before the vehicle exists: its id is given when it is
        // created, as `POST /vehicles` gives it.
        let name = uuid::Uuid::new_v4().simple();
        let mut urls = Vec::with_capacity(pictures.len());
        for (n, bytes) in pictures.into_iter().enumerate() {
            let key = format!("{shop_id}/veiculos/{name}-{}.png", n + 1);
            urls.push(format!("{base}/media/{key}"));
            files.put(key, bytes).await?;
        }
        photos.push(urls);
    }
    let unix_time = vitrine_store::now().timestamp();
    let mut images = Vec::with_capacity(drawings.products.len());
    for (p, bytes) in shop::PRODUCTS.iter().zip(drawings.products) {
        let name = stored_name(p.sku, ImageKind::Png, unix_time, &random_digits(10));
        let key = format!("{shop_id}/produtos_imagens/{name}");
        images.push(format!("media/{key}"));
        files.put(key, bytes).await?;
    }
    Ok((photos, images))
}

/// Creates the demo tenant if the database has no account. Returns the
/// JSON to print (with the generated passwords), or `None` when it did
/// nothing.
pub async fn seed_if_empty(
    store: &Store,
    media: &Media,
    base_url: &str,
) -> anyhow::Result<Option<Value>> {
    if store.conn().await?.accounts().count().await? > 0 {
        return Ok(None);
    }
    let password = random_base62(16);
    let customer_password = random_base62(16);
    let req = BootstrapRequest {
        account_name: "Ipê Veículos (demonstração)".to_owned(),
        store_name: "Ipê Veículos — Campinas".to_owned(),
        email: DEMO_EMAIL.to_owned(),
        password: password.clone(),
    };
    let plan = app_tenancy::plan(req)
        .await
        .map_err(|e| anyhow::anyhow!("demo account: {e:?}"))?;
    let started = std::time::Instant::now();
    let drawings = tokio::task::spawn_blocking(draw).await??;
    let drawn = started.elapsed();
    let mut files = Written {
        media,
        keys: Vec::new(),
    };
    let written = async {
        let (photos, images) =
            store_drawings(&mut files, drawings, plan.store_id, base_url).await?;
        let mut tx = store.begin().await?;
        // As the panel's first-run sign-up: only while no account exists.
        match app_tenancy::sign_up(&mut tx, &plan).await? {
            app_tenancy::SignUp::Created => {}
            app_tenancy::SignUp::Closed => anyhow::bail!("another account was created meanwhile"),
        }
        let zone = tx.accounts().zone(plan.account_id).await?;
        let now = vitrine_store::now();
        let crm = crm::Ctx {
            account: plan.account_id,
            store: plan.store_id,
            now,
            zone,
            vehicle_ids: &[],
            photos: &photos,
        };
        crm::seed(&mut tx, &crm).await?;
        let shop = shop::Ctx {
            account: plan.account_id,
            store: plan.store_id,
            now,
            images: &images,
            customer_password: &customer_password,
        };
        shop::seed(&mut tx, &shop).await?;
        tx.commit().await?;
        anyhow::Ok(())
    }
    .await;
    tracing::info!(
        drawing_ms = drawn.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "demo data created"
    );
    if let Err(e) = written {
        files.discard().await;
        return Err(e.context("cannot create the demo data"));
    }

    let mut out = cli::bootstrap_json(&plan);
    if let Value::Object(map) = &mut out {
        for (key, value) in [
            ("user_password", password),
            ("api_base_url", format!("{base_url}/api/v1")),
            ("loja_base_url", base_url.to_owned()),
            ("loja_customer_email", shop::CUSTOMER_EMAIL.to_owned()),
            ("loja_customer_password", customer_password),
            ("panel_url", format!("{base_url}/painel")),
            ("docs_url", format!("{base_url}/docs")),
        ] {
            map.insert(key.to_owned(), Value::String(value));
        }
    }
    Ok(Some(out))
}

/// The note printed after the credentials (on stderr, so that stdout
/// holds only the JSON and can be redirected to a file).
pub fn note(credentials: &Value) -> String {
    let panel = credentials["panel_url"].as_str().unwrap_or("/painel");
    format!(
        "\nConta de demonstração criada. Painel: {panel} (e-mail {DEMO_EMAIL}, senha em user_password).\n\
         Estas credenciais aparecem só esta vez: o vitrine guarda apenas hashes delas.\n\
         Guarde-as agora, por exemplo num gerenciador de senhas. Para gravá-las num arquivo,\n\
         inicie o demo num banco vazio com a saída redirecionada, legível só por você:\n  \
         (umask 077; vitrine serve --demo > credenciais-demo.json)\n\
         Perdeu a senha do painel? vitrine users reset-password --email {DEMO_EMAIL}\n\
         Chaves de API novas: Configurações → API Keys no painel.\n"
    )
}

/// Prints the credentials, indented, on stdout, then [`note`] on stderr.
pub fn announce(credentials: &Value) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, credentials)?;
    writeln!(out)?;
    out.flush()?;
    let mut err = std::io::stderr().lock();
    err.write_all(note(credentials).as_bytes())?;
    err.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unspecified_listen_address_reads_as_loopback() {
        let url = |s: &str| base_url(s.parse().expect("addr"));
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080");
        assert_eq!(url("[::]:8080"), "http://[::1]:8080");
        assert_eq!(url("192.168.0.10:80"), "http://192.168.0.10:80");
    }

    #[test]
    fn the_note_says_once_and_how_to_keep_it() {
        let note = note(&serde_json::json!({"panel_url": "http://127.0.0.1:8080/painel"}));
        for part in [
            "aparecem só esta vez",
            "gerenciador de senhas",
            "> credenciais-demo.json",
            "http://127.0.0.1:8080/painel",
            "users reset-password",
        ] {
            assert!(note.contains(part), "{part}: {note}");
        }
    }
}
