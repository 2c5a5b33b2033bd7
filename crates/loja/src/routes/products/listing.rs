//! E01 `GET product/findProductsbySubCategoryUrl`: the sellable rows of the
//! products linked to a subcategory (or, failing that, a category) by url,
//! one zero-based page of [`PAGE_SIZE`] rows per `offset`.

use std::collections::HashMap;

use vitrine_core::catalog::ProductType;
use vitrine_core::ids::{ProductId, ShopScope, VarietyId};
use vitrine_store::images::Image;
use vitrine_store::products::Product;
use vitrine_store::variations::{ProductGrid, UnitFields, Variation};
use vitrine_store::varieties::Variety;
use vitrine_store::{Conn, MAX_BATCH};

use super::unit_url;
use crate::dto::products::{GalleryImage, ListingRow, VarietyInfo};
use crate::dto::{Flag, Int, Money, UnitPrice, Weight};
use crate::endpoints::{Ctx, Reply};
use crate::wire::ImageUrls;
use crate::{envelope, LojaError};

/// Rows per page (spec E01 [CHOICE]; the doc states none).
pub const PAGE_SIZE: usize = 20;

const NOT_FOUND: &str = "Product not found";

/// The values one row takes from its sellable unit.
struct Row<'a> {
    id_variety: VarietyId,
    /// The variation's or grid's row id, 0 for a type-1 product.
    configurable_product_id: i64,
    name: String,
    url: String,
    unit: &'a UnitFields,
    short_price: bool,
    variety: Option<&'a Variety>,
}

fn render(
    urls: &ImageUrls,
    row: Row<'_>,
    parent_sku: &str,
    parent_id: ProductId,
    gallery: &[GalleryImage],
) -> ListingRow {
    let u = row.unit;
    ListingRow {
        id_variety: row.id_variety.into(),
        sku: u.sku.clone(),
        name: row.name,
        price: UnitPrice {
            cents: u.price,
            short: row.short_price,
        },
        promotional_price: Money(u.promotional_price),
        stock: Int(u.stock),
        weight: Weight(u.weight),
        height: Int(u.height),
        length: Int(u.length),
        width: Int(u.width),
        status: Flag(u.status),
        configurable_product_id: Int(row.configurable_product_id),
        sku_parent: parent_sku.to_owned(),
        id_parent: parent_id.into(),
        url_variety: row.url,
        product_images: gallery.to_vec(),
        // The doc's `…/produtos_imagens/produtos_variacao/<file>`: a URL.
        varieties_info: row
            .variety
            .map(|v| VarietyInfo::new(urls, v))
            .into_iter()
            .collect(),
    }
}

/// Everything the rows of a run of products need, read in five queries
/// however many products (E01 was one query per product and unit before).
struct Batch {
    products: HashMap<ProductId, Product>,
    galleries: HashMap<ProductId, Vec<GalleryImage>>,
    variations: HashMap<ProductId, Vec<Variation>>,
    grids: HashMap<ProductId, Vec<ProductGrid>>,
    varieties: HashMap<VarietyId, Variety>,
}

/// Groups rows already ordered by product into one list per product.
fn by_product<T>(rows: Vec<T>, product_id: impl Fn(&T) -> ProductId) -> HashMap<ProductId, Vec<T>> {
    let mut out: HashMap<ProductId, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(product_id(&row)).or_default().push(row);
    }
    out
}

impl Batch {
    /// Reads the products `ids` (at most [`MAX_BATCH`]) with their
    /// galleries, variations, grids and the varieties those name.
    async fn load(
        conn: &mut Conn,
        scope: ShopScope,
        urls: &ImageUrls,
        ids: &[ProductId],
    ) -> Result<Self, LojaError> {
        let products: HashMap<ProductId, Product> = conn
            .products()
            .get_many(scope, ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let of_type = |t: ProductType| -> Vec<ProductId> {
            ids.iter()
                .copied()
                .filter(|id| products.get(id).is_some_and(|p| p.product_type == t))
                .collect()
        };
        let (with_variations, with_grids) =
            (of_type(ProductType::Variation), of_type(ProductType::Grid));
        let images = conn.images().for_products(scope, ids).await?;
        let variations = conn
            .variations()
            .variations_of_many(scope, &with_variations)
            .await?;
        let grids = conn.variations().grids_of_many(scope, &with_grids).await?;
        let mut variety_ids: Vec<VarietyId> = variations
            .iter()
            .map(|v| v.variety_id)
            .chain(grids.iter().map(|g| g.variety_id))
            .collect();
        variety_ids.sort_unstable();
        variety_ids.dedup();
        let mut varieties = HashMap::new();
        for chunk in variety_ids.chunks(MAX_BATCH) {
            for v in conn.varieties().find_varieties(scope, chunk).await? {
                varieties.insert(v.id, v);
            }
        }
        let galleries = by_product(images, |i| i.product_id)
            .into_iter()
            .map(|(id, images)| (id, gallery(urls, &images)))
            .collect();
        Ok(Self {
            products,
            galleries,
            variations: by_product(variations, |v| v.product_id),
            grids: by_product(grids, |g| g.product_id),
            varieties,
        })
    }
}

/// The parent's gallery, as SH-Image without `id`, on every row.
fn gallery(urls: &ImageUrls, images: &[Image]) -> Vec<GalleryImage> {
    images.iter().map(|i| GalleryImage::new(urls, i)).collect()
}

/// Every sellable row of one product: itself (type 1), its variations
/// (type 4) or its grids (type 3).
fn rows_of(urls: &ImageUrls, batch: &Batch, product_id: ProductId) -> Vec<ListingRow> {
    let Some(p) = batch.products.get(&product_id) else {
        return Vec::new();
    };
    let f = &p.fields;
    let gallery = batch.galleries.get(&p.id).map_or(&[][..], Vec::as_slice);
    let mut out = Vec::new();
    match p.product_type {
        ProductType::Variation => {
            for v in batch.variations.get(&p.id).into_iter().flatten() {
                out.push(render(
                    urls,
                    Row {
                        id_variety: v.variety_id,
                        configurable_product_id: v.id.0,
                        name: format!("{} - {}", f.name, v.variety_name),
                        url: unit_url(&f.url, &v.unit.sku),
                        unit: &v.unit,
                        short_price: true,
                        variety: batch.varieties.get(&v.variety_id),
                    },
                    &p.sku,
                    p.id,
                    gallery,
                ));
            }
        }
        ProductType::Grid => {
            for g in batch.grids.get(&p.id).into_iter().flatten() {
                out.push(render(
                    urls,
                    Row {
                        id_variety: g.variety_id,
                        configurable_product_id: g.id.0,
                        name: format!("{} - {} - {}", f.name, g.variety_name, g.grid_name),
                        url: unit_url(&f.url, &g.unit.sku),
                        unit: &g.unit,
                        short_price: false,
                        variety: batch.varieties.get(&g.variety_id),
                    },
                    &p.sku,
                    p.id,
                    gallery,
                ));
            }
        }
        ProductType::Simple => {
            let unit = UnitFields {
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
            };
            out.push(render(
                urls,
                Row {
                    id_variety: VarietyId(0),
                    configurable_product_id: 0,
                    name: f.name.clone(),
                    url: f.url.clone(),
                    unit: &unit,
                    short_price: false,
                    variety: None,
                },
                &p.sku,
                p.id,
                gallery,
            ));
        }
    }
    out
}

/// E01 handler.
pub(crate) fn find_products_by_subcategory_url(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let not_found = || LojaError::not_found(NOT_FOUND);
        let url = ctx.params.text("url").ok_or_else(not_found)?;
        // A missing or invalid offset is the first page.
        let page = usize::try_from(ctx.params.int("offset").unwrap_or(0)).unwrap_or(0);
        let urls = ctx.image_urls();
        let mut conn = ctx.state.store.conn().await?;
        let target = conn
            .categories()
            .find_by_url(scope, &url)
            .await?
            .ok_or_else(not_found)?;
        let end = page.saturating_add(1).saturating_mul(PAGE_SIZE);
        // Every product gives at least one row, so the page never needs
        // more than `end` products.
        let limit = i64::try_from(end).unwrap_or(i64::MAX);
        let ids = conn
            .categories()
            .product_ids_in(scope, target, limit)
            .await?;
        let mut rows = Vec::new();
        let mut rest = ids.as_slice();
        while rows.len() < end && !rest.is_empty() {
            // Each product gives at least one row: read no more than the
            // page still needs.
            let (batch_ids, after) =
                rest.split_at((end - rows.len()).min(MAX_BATCH).min(rest.len()));
            rest = after;
            let batch = Batch::load(&mut conn, ctx.scope, &urls, batch_ids).await?;
            for &id in batch_ids {
                rows.extend(rows_of(&urls, &batch, id));
            }
        }
        let data: Vec<ListingRow> = rows
            .into_iter()
            .skip(page.saturating_mul(PAGE_SIZE))
            .take(PAGE_SIZE)
            .collect();
        if data.is_empty() {
            return Err(not_found());
        }
        Ok(envelope::ok(&data))
    })
}
