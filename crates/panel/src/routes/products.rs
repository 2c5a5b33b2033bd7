//! Loja › Produtos: a store's catalogue, searched with the same
//! accent-insensitive name search as the Loja API's `product/search`
//! (FTS5 trigram on SQLite, pg_trgm on PostgreSQL), one page at a time;
//! a product's page with its units (variations or grids), categories and
//! images; and price/stock edits through the same core parsing
//! (`StockPriceChange`) and store writes as the Loja API's `bulkUpdate`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::shop::catalog;
use vitrine_core::catalog::ProductType;
use vitrine_core::catalog::StockPriceChange;
use vitrine_core::ids::{ProductId, ShopScope, StoreId};
use vitrine_core::money::Money;
use vitrine_core::text;
use vitrine_store::categories::CategoryRef;
use vitrine_store::images::Image;
use vitrine_store::products::Product;
use vitrine_store::stores::StoreRow;
use vitrine_store::variations::{ProductGrid, UnitFields, Variation};
use vitrine_store::Optional;

use super::store_scope::{
    cents, encode, offset_of, page_number, pager, store_and_all, store_switcher, Filters, PageAt,
    StoreItemPath, PAGE_SIZE,
};
use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::input::{self, FormErrors, Labels, Problems};
use crate::notice::Notice;
use crate::pages::{csrf_field, layout, when, Section};
use crate::session::Signed;
use crate::PanelState;

/// The list's query string.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    pagina: String,
}

/// The price/stock form of one sellable unit, as typed (empty = unchanged).
#[derive(Debug, Default, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    sku: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    promotional_price: String,
    #[serde(default)]
    stock: String,
}

/// The type's name.
fn type_label(product_type: ProductType) -> &'static str {
    match product_type {
        ProductType::Grid => "Grade",
        ProductType::Variation => "Variação",
        ProductType::Simple => "Simples",
    }
}

fn status_badge(active: bool) -> Markup {
    html! {
        @if active { span.badge { "Ativo" } } @else { span.badge.off { "Inativo" } }
    }
}

fn products_href(store: impl std::fmt::Display) -> String {
    format!("/painel/lojas/{store}/produtos")
}

fn list_page(
    signed: &Signed,
    store: &StoreRow,
    all: &[StoreRow],
    query: &str,
    at: PageAt,
    products: &[Product],
) -> Markup {
    let base = products_href(store.id);
    layout(
        &format!("Produtos · {}", store.name),
        Some((signed, Section::Products)),
        html! {
            h1 { "Produtos › " (store.name) }
            (store_switcher(store, all, "produtos"))
            section.card {
                form.search method="get" action=(base) role="search" {
                    label.sr for="busca" { "Buscar produtos" }
                    input type="search" id="busca" name="q" value=(query) placeholder="Buscar por nome";
                    button type="submit" id="buscar" { "Buscar" }
                }
                @if products.is_empty() {
                    p.muted {
                        @if query.trim().is_empty() { "Nenhum produto nesta loja ainda." }
                        @else { "Nenhum produto encontrado para “" (query) "”." }
                    }
                } @else {
                    table id="produtos" {
                        thead { tr { th { "Produto" } th { "SKU" } th { "Tipo" } th { "Preço" } th { "Estoque" } th { "Status" } } }
                        tbody {
                            @for p in products {
                                tr id={ "produto-" (p.id) } {
                                    td data-label="Produto" { a href={ (base) "/" (p.id) } { (p.fields.name) } }
                                    td data-label="SKU" { code { (p.sku) } }
                                    td data-label="Tipo" { (type_label(p.product_type)) }
                                    td data-label="Preço" {
                                        @if p.product_type == ProductType::Simple || p.fields.price > 0 { (cents(p.fields.price)) } @else { span.muted { "por unidade" } }
                                    }
                                    td data-label="Estoque" {
                                        @if p.product_type == ProductType::Simple { (p.fields.stock) } @else { span.muted { "por unidade" } }
                                    }
                                    td data-label="Status" { (status_badge(p.fields.status)) }
                                }
                            }
                        }
                    }
                }
                (pager(at, |n| {
                    if query.trim().is_empty() {
                        format!("{base}?pagina={n}")
                    } else {
                        format!("{base}?q={}&pagina={n}", encode(query))
                    }
                }))
            }
        },
    )
}

/// GET /painel/produtos — the first store's products.
pub async fn first_store_products(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Redirect, PanelError> {
    super::store_scope::first_store(&state, signed.account, "produtos").await
}

/// GET /painel/lojas/{store_id}/produtos?q=&pagina= — another account's
/// store is a 404 page.
pub async fn list_products(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(store_id): IdPath<StoreId>,
    Filters(query): Filters<ListQuery>,
) -> Result<Markup, PanelError> {
    let (store, all) = store_and_all(&state, signed.account, store_id).await?;
    let page = page_number(&query.pagina);
    let mut conn = state.store.conn().await?;
    // The total of the whole store; a search's matches are paged without
    // one (counting them would read every match, not just the page).
    let scope = ShopScope::new(signed.account, store_id);
    let mut total = None;
    let mut products = if query.q.trim().is_empty() {
        total = Some(conn.products().count(scope).await?);
        conn.products()
            .list(scope, PAGE_SIZE + 1, offset_of(page))
            .await?
    } else {
        conn.products()
            .search(scope, &query.q, PAGE_SIZE + 1, offset_of(page))
            .await?
    };
    let has_next = products.len() > PAGE_SIZE as usize;
    products.truncate(PAGE_SIZE as usize);
    let at = PageAt {
        number: page,
        has_next,
        total,
    };
    Ok(list_page(&signed, &store, &all, &query.q, at, &products))
}

/// Everything the product page shows.
struct Detail {
    product: Product,
    variations: Vec<Variation>,
    grids: Vec<ProductGrid>,
    categories: Vec<String>,
    images: Vec<Image>,
    brand: Option<String>,
}

async fn load(
    state: &PanelState,
    signed: &Signed,
    store: StoreId,
    id: ProductId,
) -> Result<Detail, PanelError> {
    let scope = ShopScope::new(signed.account, store);
    let mut conn = state.store.conn().await?;
    let product = conn.products().get(scope, id).await?;
    let variations = conn.variations().variations_of(scope, id).await?;
    let grids = conn.variations().grids_of(scope, id).await?;
    let mut categories = Vec::new();
    for link in conn.categories().links_of(scope, id).await? {
        let name = match link {
            CategoryRef::Subcategory(sub) => conn
                .categories()
                .get_subcategory(scope, sub)
                .await
                .optional()?
                .map(|c| c.fields.name),
            CategoryRef::Category(cat) => conn
                .categories()
                .get_category(scope, cat)
                .await
                .optional()?
                .map(|c| c.fields.name),
        };
        categories.extend(name);
    }
    let images = conn.images().for_product(scope, id).await?;
    let brand = match product.fields.brand_id {
        Some(b) => conn
            .brands()
            .get(scope, b)
            .await
            .optional()?
            .map(|b| b.fields.name),
        None => None,
    };
    Ok(Detail {
        product,
        variations,
        grids,
        categories,
        images,
        brand,
    })
}

/// The address of a stored image: media paths are served by `/media/…`;
/// anything else (a URL kept verbatim) is linked, not embedded (the
/// panel's pages load nothing from other origins).
fn media_src(path: &str) -> Option<String> {
    path.strip_prefix("media/")
        .map(|key| format!("/media/{key}"))
}

fn thumb(path: &str, alt: &str) -> Markup {
    html! {
        @if let Some(src) = media_src(path) {
            a href=(src) { img.thumb src=(src) alt=(alt) loading="lazy"; }
        } @else if !path.is_empty() {
            a href=(path) rel="noopener noreferrer" { "imagem externa" }
        } @else {
            span.muted { "—" }
        }
    }
}

/// The unit form's fields and their labels.
const LABELS: Labels = &[
    ("price", "Preço"),
    ("promotional_price", "Preço promocional"),
    ("stock", "Estoque"),
];

/// A refused edit of one unit: what was typed and what is wrong with it.
struct Failed<'a> {
    sku: &'a str,
    form: &'a UnitForm,
    errors: FormErrors,
}

/// The price/stock form of one unit; after a refused edit of this unit,
/// what was typed and each problem under its field.
fn unit_form(signed: &Signed, action: &str, u: &UnitFields, failed: Option<&Failed>) -> Markup {
    let id = &u.sku;
    let mine = failed.filter(|f| f.sku == u.sku);
    let none = FormErrors::none();
    let errors = mine.map_or(&none, |f| &f.errors);
    let (price, promo, stock) = match mine {
        Some(f) => (
            f.form.price.clone(),
            f.form.promotional_price.clone(),
            f.form.stock.clone(),
        ),
        None => (
            input::money_value(Some(Money::from_cents(u.price))),
            input::money_value(Some(Money::from_cents(u.promotional_price))),
            vitrine_core::money::brazilian_integer(u.stock),
        ),
    };
    html! {
        form.unit method="post" action=(action) {
            (csrf_field(&signed.csrf))
            input type="hidden" name="sku" value=(u.sku);
            div {
                label for={ "preco-" (id) } { "Preço" }
                input type="text" inputmode="decimal" id={ "preco-" (id) } name="price" value=(price);
                (errors.at("price"))
            }
            div {
                label for={ "promo-" (id) } { "Promocional" }
                input type="text" inputmode="decimal" id={ "promo-" (id) } name="promotional_price" value=(promo);
                (errors.at("promotional_price"))
            }
            div {
                label for={ "estoque-" (id) } { "Estoque" }
                input type="text" inputmode="numeric" id={ "estoque-" (id) } name="stock" value=(stock);
                (errors.at("stock"))
            }
            button.small type="submit" id={ "salvar-" (id) } { "Salvar" }
        }
    }
}

fn unit_of(p: &Product) -> UnitFields {
    let f = &p.fields;
    UnitFields {
        sku: p.sku.clone(),
        price: f.price,
        promotional_price: f.promotional_price,
        stock: f.stock,
        weight: f.weight,
        height: f.height,
        length: f.length,
        width: f.width,
        sort: f.sort,
        status: f.status,
    }
}

fn unit_row(
    signed: &Signed,
    action: &str,
    name: &str,
    image: &str,
    u: &UnitFields,
    failed: Option<&Failed>,
) -> Markup {
    html! {
        tr id={ "unidade-" (u.sku) } {
            td data-label="Unidade" { (name) }
            td data-label="SKU" { code { (u.sku) } }
            td data-label="Preço" { (cents(u.price)) @if u.promotional_price > 0 { br; span.muted { "promo " (cents(u.promotional_price)) } } }
            td data-label="Estoque" { (u.stock) }
            td data-label="Status" { (status_badge(u.status)) }
            td data-label="Imagem" { (thumb(image, name)) }
            td data-label="Alterar" { (unit_form(signed, action, u, failed)) }
        }
    }
}

fn units_table(rows: Markup) -> Markup {
    html! {
        table id="unidades" {
            thead { tr { th { "Unidade" } th { "SKU" } th { "Preço" } th { "Estoque" } th { "Status" } th { "Imagem" } th { "Alterar" } } }
            tbody { (rows) }
        }
    }
}

fn product_page(signed: &Signed, store: &StoreRow, d: &Detail, failed: Option<&Failed>) -> Markup {
    let p = &d.product;
    let f = &p.fields;
    let base = products_href(store.id);
    let action = format!("{base}/{}/precos", p.id);
    layout(
        &f.name,
        Some((signed, Section::Products)),
        html! {
            p.muted { a href=(base) { "‹ Produtos de " (store.name) } }
            h1 { (f.name) }
            @if let Some(failed) = failed { (failed.errors.summary()) }
            section.card {
                dl.facts {
                    dt { "SKU" } dd { code id="produto-sku" { (p.sku) } }
                    dt { "Tipo" } dd id="produto-tipo" { (type_label(p.product_type)) }
                    dt { "Preço" } dd id="produto-preco" { (price_text(d)) }
                    @if f.promotional_price > 0 {
                        dt { "Preço promocional" } dd { (cents(f.promotional_price)) }
                    }
                    @if p.product_type == ProductType::Simple {
                        dt { "Estoque" } dd id="produto-estoque" { (f.stock) }
                    }
                    dt { "Status" } dd { (status_badge(f.status)) }
                    dt { "Categorias" }
                    dd id="produto-categorias" {
                        @if d.categories.is_empty() { span.muted { "Nenhuma" } }
                        @else { (d.categories.join(", ")) }
                    }
                    @if let Some(brand) = &d.brand {
                        dt { "Marca" } dd { (brand) }
                    }
                    dt { "Endereço (url)" } dd { code { (f.url) } }
                    dt { "Atualizado em" } dd { (when(p.last_update, signed.zone)) }
                }
            }
            section.card {
                h2 { "Preço e estoque" }
                @match p.product_type {
                    ProductType::Variation => {
                        @if d.variations.is_empty() { p.muted { "Nenhuma variação cadastrada." } }
                        @else {
                            (units_table(html! {
                                @for v in &d.variations {
                                    (unit_row(signed, &action, &v.variety_name, &v.image, &v.unit, failed))
                                }
                            }))
                        }
                    }
                    ProductType::Grid => {
                        @if d.grids.is_empty() { p.muted { "Nenhuma grade cadastrada." } }
                        @else {
                            (units_table(html! {
                                @for g in &d.grids {
                                    (unit_row(signed, &action, &format!("{} › {}", g.variety_name, g.grid_name), &g.image, &g.unit, failed))
                                }
                            }))
                        }
                    }
                    ProductType::Simple => { (unit_form(signed, &action, &unit_of(p), failed)) }
                }
                p.muted { "Preço em reais com vírgula antes dos centavos e ponto a cada mil (" code { "1.500,00" } "), estoque inteiro, nada negativo." }
            }
            section.card {
                h2 { "Imagens" }
                @if d.images.is_empty() {
                    p.muted { "Nenhuma imagem." }
                } @else {
                    ul.gallery id="imagens" {
                        @for i in &d.images {
                            li {
                                (thumb(&i.image, &i.label))
                                span.muted {
                                    @if i.label.is_empty() { (i.file_name) } @else { (i.label) }
                                    @if i.main { " · principal" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The product's price; for type 3/4, the range of its units' prices
/// (the parent's own price is not what sells).
fn price_text(d: &Detail) -> String {
    let units: Vec<i64> = match d.product.product_type {
        ProductType::Variation => d.variations.iter().map(|v| v.unit.price).collect(),
        ProductType::Grid => d.grids.iter().map(|g| g.unit.price).collect(),
        ProductType::Simple => Vec::new(),
    };
    match (units.iter().min(), units.iter().max()) {
        (Some(lo), Some(hi)) if lo == hi => cents(*lo),
        (Some(lo), Some(hi)) => format!("{} a {}", cents(*lo), cents(*hi)),
        _ => cents(d.product.fields.price),
    }
}

/// GET /painel/lojas/{store_id}/produtos/{id} — another account's store or
/// product is a 404 page.
pub async fn show_product(
    State(state): State<PanelState>,
    signed: Signed,
    path: StoreItemPath<ProductId>,
) -> Result<Markup, PanelError> {
    let (store, _) = store_and_all(&state, signed.account, path.store).await?;
    let detail = load(&state, &signed, path.store, path.id).await?;
    Ok(product_page(&signed, &store, &detail, None))
}

/// The unit form read with the panel's readers: amounts the Brazilian way
/// (`1.500,00`), stock a whole number with the same thousands rule, nothing
/// negative; blank leaves a value as it is.
fn read_unit(form: &UnitForm) -> Result<StockPriceChange, Vec<vitrine_core::FieldError>> {
    let mut p = Problems::default();
    let price = p.take(input::money("price", &form.price)).flatten();
    let promotional_price = p
        .take(input::money("promotional_price", &form.promotional_price))
        .flatten();
    let stock = match p.take(input::integer("stock", &form.stock)).flatten() {
        Some(n) if n < 0 => {
            p.0.push(text::below("stock", 0));
            None
        }
        other => other,
    };
    if p.is_empty() {
        Ok(StockPriceChange {
            stock,
            price: price.map(Money::cents),
            promotional_price: promotional_price.map(Money::cents),
        })
    } else {
        Err(p.0)
    }
}

/// POST /painel/lojas/{store_id}/produtos/{id}/precos — price, promotional
/// price and stock of one unit of this product (the product itself for
/// type 1, one of its variations or grids for type 4/3), written by the
/// store calls `bulkUpdate` uses; a bad value re-renders the page (422)
/// with the problem at its field and writes nothing.
pub async fn update_unit(
    State(state): State<PanelState>,
    path: StoreItemPath<ProductId>,
    SignedForm { signed, form }: SignedForm<UnitForm>,
) -> Result<Response, PanelError> {
    let scope = path.scope(signed.account);
    let (store, _) = store_and_all(&state, signed.account, path.store).await?;
    let change = read_unit(&form);
    let mut tx = state.store.begin().await?;
    let product = tx.products().get(scope, path.id).await?;
    // The SKU must name this product (type 1) or one of its units.
    let owner = tx
        .products()
        .sku_owner(scope, form.sku.trim())
        .await?
        .filter(|o| o.product_id == product.id)
        .ok_or(PanelError::NotFound)?;
    let applied = match change {
        Ok(change) => {
            let sku = form.sku.trim();
            match catalog::set_stock_prices(&mut tx, scope, sku, &owner, &change).await {
                Ok(()) => Ok(()),
                Err(e) => Err(e.into_problems()?),
            }
        }
        Err(problems) => Err(problems),
    };
    if let Err(problems) = applied {
        drop(tx);
        let detail = load(&state, &signed, path.store, path.id).await?;
        let failed = Failed {
            sku: form.sku.trim(),
            form: &form,
            errors: FormErrors::new(LABELS, &problems),
        };
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            product_page(&signed, &store, &detail, Some(&failed)),
        )
            .into_response());
    }
    tx.commit().await?;
    Ok(Notice::UnitSaved
        .redirect(
            &signed,
            &format!("{}/{}", products_href(store.id), product.id),
        )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_values_are_read_the_brazilian_way() {
        let form = |price: &str, stock: &str| UnitForm {
            sku: "X".into(),
            price: price.into(),
            promotional_price: String::new(),
            stock: stock.into(),
        };
        let c = read_unit(&form("1.500", "1.200")).expect("valid");
        assert_eq!(
            (c.price, c.stock, c.promotional_price),
            (Some(150_000), Some(1200), None)
        );
        let fields: Vec<String> = read_unit(&form("1.50.0", "-1"))
            .expect_err("refused")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["price", "stock"]);
    }
}
