//! Products, variations, grids and their global options (§3.0 SH-ProductBasic,
//! SH-ProductFull, SH-VariationRow, SH-GridRow, SH-Variety, SH-Grid; E01,
//! E02–E07, E16–E17, E20, E21, E23).

use serde::Serialize;
use utoipa::ToSchema;
use vitrine_store::images::Image;
use vitrine_store::products::Product;
use vitrine_store::reviews::{Comment, Retention};
use vitrine_store::variations::{ProductGrid, UnitFields, Variation};
use vitrine_store::varieties::{Grid, Variety};

use super::{or_empty, Flag, Int, LocalTime, Money, MoneyShort, UnitPrice, Weight};
use crate::wire::ImageUrls;

/// SH-ProductBasic without `parent`/`children` (`min` absent or 1): `stock`
/// is a JSON integer here.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ProductBasic {
    pub name: String,
    pub sku: String,
    pub barcode: String,
    pub price: Money,
    pub promotional_price: Money,
    /// A JSON integer in this shape (a string in the full one).
    pub stock: i64,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    /// 1 simple, 3 grid, 4 variation.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub product_type: Int,
    pub status: Flag,
}

impl From<&Product> for ProductBasic {
    fn from(p: &Product) -> Self {
        let f = &p.fields;
        Self {
            name: f.name.clone(),
            sku: p.sku.clone(),
            barcode: f.barcode.clone(),
            price: Money(f.price),
            promotional_price: Money(f.promotional_price),
            stock: f.stock,
            weight: Weight(f.weight),
            height: Int(f.height),
            length: Int(f.length),
            width: Int(f.width),
            product_type: p.product_type.into(),
            status: Flag(f.status),
        }
    }
}

/// SH-ProductFull without `parent`/`children` (`min=0`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ProductFull {
    pub name: String,
    pub sku: String,
    pub barcode: String,
    /// HTML kept verbatim.
    pub short_description: String,
    pub price: Money,
    pub promotional_price: Money,
    pub url: String,
    pub stock: Int,
    pub available: Flag,
    pub budget: Flag,
    pub hide_price: Flag,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    pub fitting_difference: Int,
    pub deadline: Int,
    pub unit_measurement: String,
    /// HTML kept verbatim.
    pub description: String,
    pub specifications: String,
    pub warranty: String,
    /// Manufacturer id, `"0"` for none.
    pub manufacturer: Int,
    pub manufacturer_code: String,
    /// Brand id, `"0"` for none.
    pub brand: Int,
    pub variety_title: String,
    pub grid_title: String,
    pub configurable_title: String,
    pub meta_description: String,
    pub meta_title: String,
    pub meta_keys: String,
    /// 1 simple, 3 grid, 4 variation.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub product_type: Int,
    pub sort: Int,
    pub obs_box: Flag,
    pub illustrative_picture: Flag,
    pub multiple: Flag,
    pub multiple_price: Money,
    pub status: Flag,
}

impl From<&Product> for ProductFull {
    fn from(p: &Product) -> Self {
        let f = &p.fields;
        Self {
            name: f.name.clone(),
            sku: p.sku.clone(),
            barcode: f.barcode.clone(),
            short_description: f.short_description.clone(),
            price: Money(f.price),
            promotional_price: Money(f.promotional_price),
            url: f.url.clone(),
            stock: Int(f.stock),
            available: Flag(f.available),
            budget: Flag(f.budget),
            hide_price: Flag(f.hide_price),
            weight: Weight(f.weight),
            height: Int(f.height),
            length: Int(f.length),
            width: Int(f.width),
            fitting_difference: Int(f.fitting_difference),
            deadline: Int(f.deadline),
            unit_measurement: f.unit_measurement.clone(),
            description: f.description.clone(),
            specifications: f.specifications.clone(),
            warranty: f.warranty.clone(),
            manufacturer: Int(f.manufacturer_id.map_or(0, |m| m.0)),
            manufacturer_code: f.manufacturer_code.clone(),
            brand: Int(f.brand_id.map_or(0, |b| b.0)),
            variety_title: f.variety_title.clone(),
            grid_title: f.grid_title.clone(),
            configurable_title: f.configurable_title.clone(),
            meta_description: f.meta_description.clone(),
            meta_title: f.meta_title.clone(),
            meta_keys: f.meta_keys.clone(),
            product_type: p.product_type.into(),
            sort: Int(f.sort),
            obs_box: Flag(f.obs_box),
            illustrative_picture: Flag(f.illustrative_picture),
            multiple: Flag(f.multiple),
            multiple_price: Money(f.multiple_price),
            status: Flag(f.status),
        }
    }
}

impl ProductBasic {
    /// A variation's or grid's own values over its parent's (E02: a unit
    /// found by its SKU is described in its parent's key set).
    pub(crate) fn with_unit(mut self, name: String, unit: &UnitFields) -> Self {
        self.name = name;
        self.sku.clone_from(&unit.sku);
        self.price = Money(unit.price);
        self.promotional_price = Money(unit.promotional_price);
        self.stock = unit.stock;
        self.weight = Weight(unit.weight);
        self.height = Int(unit.height);
        self.length = Int(unit.length);
        self.width = Int(unit.width);
        self.status = Flag(unit.status);
        self
    }
}

impl ProductFull {
    /// As [`ProductBasic::with_unit`].
    pub(crate) fn with_unit(mut self, name: String, unit: &UnitFields) -> Self {
        self.name = name;
        self.sku.clone_from(&unit.sku);
        self.price = Money(unit.price);
        self.promotional_price = Money(unit.promotional_price);
        self.stock = Int(unit.stock);
        self.weight = Weight(unit.weight);
        self.height = Int(unit.height);
        self.length = Int(unit.length);
        self.width = Int(unit.width);
        self.status = Flag(unit.status);
        self
    }
}

/// A product in the basic or the full shape (`product/search`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
#[expect(
    clippy::large_enum_variant,
    reason = "a response value, built and serialised at once: boxing buys nothing"
)]
pub(crate) enum ProductShape {
    /// `min` absent or 1.
    Basic(ProductBasic),
    /// `min=0`.
    Full(ProductFull),
}

impl ProductShape {
    /// The shape `min` asks for.
    pub(crate) fn of(p: &Product, min: bool) -> Self {
        if min {
            Self::Basic(p.into())
        } else {
            Self::Full(p.into())
        }
    }
}

or_empty!(
    /// A unit's main product in the basic shape, `[]` for a main product.
    ParentBasic(ProductBasic)
);

or_empty!(
    /// A unit's main product in the full shape, `[]` for a main product.
    ParentFull(ProductFull)
);

/// One of a main product's sellable units (E02 `children`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum Child {
    /// A variation of a type-4 product.
    Variation(VariationRow),
    /// A grid of a type-3 product.
    Grid(GridRow),
}

/// E02/E03 in the basic shape: the product, or the variation or grid the
/// SKU names with its `parent`; a main product's units are its `children`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BasicFound {
    #[serde(flatten)]
    pub product: ProductBasic,
    /// The main product of a variation or grid; `[]` for a main product.
    pub parent: ParentBasic,
    /// A main product's variations or grids; `[]` otherwise.
    pub children: Vec<Child>,
}

/// E02/E03 in the full shape (`min=0`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FullFound {
    #[serde(flatten)]
    pub product: ProductFull,
    /// The main product of a variation or grid; `[]` for a main product.
    pub parent: ParentFull,
    /// A main product's variations or grids; `[]` otherwise.
    pub children: Vec<Child>,
}

/// E02 `product/findbysku`, E03 `product/findbyname`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
#[expect(
    clippy::large_enum_variant,
    reason = "a response value, built and serialised at once: boxing buys nothing"
)]
pub(crate) enum ProductFound {
    /// `min` absent or 1.
    Basic(BasicFound),
    /// `min=0`.
    Full(FullFound),
}

impl ProductFound {
    /// A main product with `parent: []` and its units as `children`.
    pub(crate) fn product(p: &Product, min: bool, children: Vec<Child>) -> Self {
        if min {
            Self::Basic(BasicFound {
                product: p.into(),
                parent: ParentBasic::Empty,
                children,
            })
        } else {
            Self::Full(FullFound {
                product: p.into(),
                parent: ParentFull::Empty,
                children,
            })
        }
    }

    /// A variation or grid (`name`, `unit`) of `parent`.
    pub(crate) fn unit(parent: &Product, min: bool, name: String, unit: &UnitFields) -> Self {
        if min {
            let shape = ProductBasic::from(parent);
            Self::Basic(BasicFound {
                product: shape.clone().with_unit(name, unit),
                parent: ParentBasic::Some(shape),
                children: Vec::new(),
            })
        } else {
            let shape = ProductFull::from(parent);
            Self::Full(FullFound {
                product: shape.clone().with_unit(name, unit),
                parent: ParentFull::Some(shape),
                children: Vec::new(),
            })
        }
    }
}

/// SH-VariationRow: `price` in the shortest decimal form.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct VariationRow {
    pub sku: String,
    /// The global variety's name.
    pub name: String,
    pub price: MoneyShort,
    pub promotional_price: Money,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    pub status: Flag,
}

impl From<&Variation> for VariationRow {
    fn from(v: &Variation) -> Self {
        let u = &v.unit;
        Self {
            sku: u.sku.clone(),
            name: v.variety_name.clone(),
            price: MoneyShort(u.price),
            promotional_price: Money(u.promotional_price),
            stock: Int(u.stock),
            weight: Weight(u.weight),
            height: Int(u.height),
            length: Int(u.length),
            width: Int(u.width),
            status: Flag(u.status),
        }
    }
}

/// SH-GridRow.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct GridRow {
    pub sku: String,
    pub variety_name: String,
    pub grid_name: String,
    pub price: Money,
    pub promotional_price: Money,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    pub status: Flag,
}

impl From<&ProductGrid> for GridRow {
    fn from(g: &ProductGrid) -> Self {
        let u = &g.unit;
        Self {
            sku: u.sku.clone(),
            variety_name: g.variety_name.clone(),
            grid_name: g.grid_name.clone(),
            price: Money(u.price),
            promotional_price: Money(u.promotional_price),
            stock: Int(u.stock),
            weight: Weight(u.weight),
            height: Int(u.height),
            length: Int(u.length),
            width: Int(u.width),
            status: Flag(u.status),
        }
    }
}

/// SH-Variety: a global variety (E05).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct VarietyOut {
    pub id: Int,
    pub name: String,
    /// The image's URL (`""` when it has none).
    pub image: String,
    pub color1: String,
    pub color2: String,
    /// 0 text, 1 image, 2 one colour, 3 two colours.
    pub icon_type: Int,
    pub sort: Int,
    pub status: Flag,
}

impl VarietyOut {
    pub(crate) fn new(urls: &ImageUrls, v: &Variety) -> Self {
        Self {
            id: v.id.into(),
            name: v.name.clone(),
            image: urls.url(&v.image),
            color1: v.color1.clone(),
            color2: v.color2.clone(),
            icon_type: Int(i64::from(v.icon_type)),
            sort: Int(v.sort),
            status: Flag(v.status),
        }
    }
}

/// SH-Grid: a global grid (E07).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct GridOut {
    pub id: Int,
    pub name: String,
    pub sort: Int,
    pub status: Flag,
}

impl From<&Grid> for GridOut {
    fn from(g: &Grid) -> Self {
        Self {
            id: g.id.into(),
            name: g.name.clone(),
            sort: Int(g.sort),
            status: Flag(g.status),
        }
    }
}

/// A product's gallery image without its id, as every E01 row shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct GalleryImage {
    pub label: String,
    /// The image's URL.
    pub image: String,
    pub main: Flag,
    pub hover: Flag,
    pub sort: Int,
    pub status: Flag,
}

impl GalleryImage {
    pub(crate) fn new(urls: &ImageUrls, i: &Image) -> Self {
        Self {
            label: i.label.clone(),
            image: urls.url(&i.image),
            main: Flag(i.main),
            hover: Flag(i.hover),
            sort: Int(i.sort),
            status: Flag(i.status),
        }
    }
}

/// The global variety of an E01 row (`varieties_info`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct VarietyInfo {
    pub name: String,
    /// The image's URL (`…/produtos_imagens/produtos_variacao/<file>`).
    pub image: String,
    pub color1: String,
    pub color2: String,
    pub icon_type: Int,
    pub sort: Int,
    pub status: Flag,
}

impl VarietyInfo {
    pub(crate) fn new(urls: &ImageUrls, v: &Variety) -> Self {
        Self {
            name: v.name.clone(),
            image: urls.url(&v.image),
            color1: v.color1.clone(),
            color2: v.color2.clone(),
            icon_type: Int(i64::from(v.icon_type)),
            sort: Int(v.sort),
            status: Flag(v.status),
        }
    }
}

/// One sellable row of E01 `product/findProductsbySubCategoryUrl`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ListingRow {
    /// The global variety, `"0"` for a type-1 product.
    pub id_variety: Int,
    pub sku: String,
    pub name: String,
    pub price: UnitPrice,
    pub promotional_price: Money,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    pub status: Flag,
    /// The variation's or grid's row id, `"0"` for a type-1 product.
    pub configurable_product_id: Int,
    pub sku_parent: String,
    pub id_parent: Int,
    /// `<parent url>-<unit sku>`, or the product's url.
    pub url_variety: String,
    /// The parent's gallery.
    pub product_images: Vec<GalleryImage>,
    /// The unit's global variety, when it has one.
    pub varieties_info: Vec<VarietyInfo>,
}

/// E16 `variety`: a product variation with its own id and image.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct VariationDetail {
    pub id: Int,
    pub name: String,
    pub price: MoneyShort,
    pub promotional_price: Money,
    /// The image's URL (`""` when it has none).
    pub image: String,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    pub status: Flag,
}

impl VariationDetail {
    pub(crate) fn new(urls: &ImageUrls, v: &Variation) -> Self {
        let u = &v.unit;
        Self {
            id: v.id.into(),
            name: v.variety_name.clone(),
            price: MoneyShort(u.price),
            promotional_price: Money(u.promotional_price),
            image: urls.url(&v.image),
            stock: Int(u.stock),
            weight: Weight(u.weight),
            height: Int(u.height),
            length: Int(u.length),
            width: Int(u.width),
            status: Flag(u.status),
        }
    }
}

/// E16 `product/findvarietyandparentbyvariety`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct VariationAndParent {
    pub variety: VariationDetail,
    pub parent_sku: String,
}

/// E17 `grid`: a product grid with its own id and image.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct GridDetail {
    pub id: Int,
    pub variety_name: String,
    pub grid_name: String,
    pub price: Money,
    pub promotional_price: Money,
    /// The image's URL (`""` when it has none).
    pub image: String,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    pub status: Flag,
}

impl GridDetail {
    pub(crate) fn new(urls: &ImageUrls, g: &ProductGrid) -> Self {
        let u = &g.unit;
        Self {
            id: g.id.into(),
            variety_name: g.variety_name.clone(),
            grid_name: g.grid_name.clone(),
            price: Money(u.price),
            promotional_price: Money(u.promotional_price),
            image: urls.url(&g.image),
            stock: Int(u.stock),
            weight: Weight(u.weight),
            height: Int(u.height),
            length: Int(u.length),
            width: Int(u.width),
            status: Flag(u.status),
        }
    }
}

/// E17 `product/findgridandparentbygrid`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct GridAndParent {
    pub grid: GridDetail,
    pub parent_sku: String,
}

/// E20: a product review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CommentOut {
    pub id: Int,
    pub customer_name: String,
    pub customer_email: String,
    /// 1 to 5.
    pub rating: Int,
    /// Verbatim.
    pub comment: String,
    pub date: LocalTime,
}

impl From<&Comment> for CommentOut {
    fn from(c: &Comment) -> Self {
        Self {
            id: c.id.into(),
            customer_name: c.customer_name.clone(),
            customer_email: c.customer_email.clone(),
            rating: Int(c.rating),
            comment: c.comment.clone(),
            date: LocalTime(c.date),
        }
    }
}

/// E21: a related product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RelatedProduct {
    pub id: Int,
    pub name: String,
    pub sku: String,
    pub barcode: String,
    pub price: Money,
    pub promotional_price: Money,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub product_type: Int,
}

impl From<&Product> for RelatedProduct {
    fn from(p: &Product) -> Self {
        let f = &p.fields;
        Self {
            id: p.id.into(),
            name: f.name.clone(),
            sku: p.sku.clone(),
            barcode: f.barcode.clone(),
            price: Money(f.price),
            promotional_price: Money(f.promotional_price),
            stock: Int(f.stock),
            weight: Weight(f.weight),
            height: Int(f.height),
            length: Int(f.length),
            width: Int(f.width),
            product_type: p.product_type.into(),
        }
    }
}

/// E23: stock held by an order awaiting a status change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RetentionOut {
    /// The main product's SKU.
    pub sku: String,
    /// The variation's SKU, `"0"` for none.
    pub sku_variety: String,
    /// The grid's SKU, `"0"` for none.
    pub sku_grid: String,
    pub stock: Int,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub product_type: Int,
    /// When it was recorded (`data` [sic]).
    pub data: LocalTime,
}

impl From<&Retention> for RetentionOut {
    fn from(r: &Retention) -> Self {
        Self {
            sku: r.sku.clone(),
            sku_variety: r.sku_variety.clone(),
            sku_grid: r.sku_grid.clone(),
            stock: Int(r.stock),
            product_type: r.product_type.into(),
            data: LocalTime(r.created_at),
        }
    }
}

/// One row of E24 `product/bulkUpdate`: in `data` when applied, in
/// `errors` (with its messages) when not.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BulkRow {
    /// 200, or the row's failure: 400, 404, 500.
    pub code: u16,
    /// The row's key in `inputs`.
    pub product_key: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub product_sku: Option<String>,
    /// A failed row's messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub errors: Option<Vec<String>>,
}

/// A refused item of E10/E11 (`errors` of their 406).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ItemRefused {
    pub variety_id: i64,
    /// Grids only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub grid_id: Option<i64>,
    /// The item's key in `grid_data`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub grid_key: Option<i64>,
    /// The item's key in `variety_data`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub variety_key: Option<i64>,
    pub errors: Vec<&'static str>,
}
