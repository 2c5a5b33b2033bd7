//! The endpoint table: path, method, the status the doc gives a wrong
//! method, and the handler. One row per documented (method, path).

use std::future::Future;
use std::pin::Pin;

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{Extensions, Method, StatusCode};
use axum::response::Response;
use vitrine_core::idempotency::{Entry, Gate};
use vitrine_core::ids::{AccountId, ShopScope};
use vitrine_core::rate_limit::QuotaSlot;

use crate::auth::authenticate;
use crate::dto::catalog::{
    BrandOrAll, BrandOut, CategoryLink, CategoryMatch, DesignSettings, ManufacturerOrAll,
    ManufacturerOut, SaleOut, TagOut,
};
use crate::dto::media::{BannerOut, ImageOut};
use crate::dto::orders::{OrderOut, OrderPlaced};
use crate::dto::products::{
    BulkRow, CommentOut, GridAndParent, GridOut, GridRow, ListingRow, ProductFound, ProductShape,
    RelatedProduct, RetentionOut, VariationAndParent, VariationRow, VarietyOut,
};
use crate::dto::shop::{CartOut, LoginOut, TokenOut};
use crate::dto::NewId;
use crate::jwt::{authenticate_customer, CustomerAuth};
use crate::openapi::{list, one, text, SchemaOf};
use crate::params::Params;
use crate::routes;
use crate::{Caller, LojaError, LojaState};

/// What a handler receives: the state, the authenticated store (the scope
/// of every query it makes), the
/// customer of a customer-JWT endpoint, the parameters, and where the
/// client reaches vitrine (for the image URLs it is shown).
pub(crate) struct Ctx {
    pub state: LojaState,
    pub scope: ShopScope,
    pub customer: Option<CustomerAuth>,
    pub params: Params,
    /// `http(s)://host` of this request ([`crate::wire::origin`]).
    pub origin: String,
}

impl Ctx {
    /// The URLs of this store's images, as this request's client reaches vitrine.
    pub(crate) fn image_urls(&self) -> crate::wire::ImageUrls {
        crate::wire::ImageUrls::new(&self.origin, self.scope.store)
    }
}

/// The credential an endpoint requires (§1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthKind {
    /// The store token (§1.2.1).
    Store,
    /// A customer JWT, which names the store (§1.2.2); a store token sent
    /// beside it must be of the same store.
    Customer,
}

pub(crate) type Reply = Pin<Box<dyn Future<Output = Result<Response, LojaError>> + Send>>;
type Handler = fn(Ctx) -> Reply;

/// One documented route.
pub(crate) struct Endpoint {
    /// Lowercased path.
    path: &'static str,
    method: Method,
    /// Status of `"Invalid request - Needed: <method>"` for this path (§1.5).
    wrong_method_status: StatusCode,
    handler: Handler,
    /// Accepts a file upload: the body may be as large as an image allows.
    upload: bool,
    /// Which credential it requires.
    auth: AuthKind,
    /// The method its wrong-method error names, when the doc prints
    /// another than the endpoint's own (`client/clientlogin`, I-12).
    needed_literal: Option<&'static str>,
    /// What the OpenAPI document says of it (`crate::openapi`).
    doc: Doc,
}

/// The kind of value a parameter holds, as the readers of `Params` coerce it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamKind {
    /// Text.
    Text,
    /// An integer (sent as a number or a string).
    Int,
    /// A decimal (`"150.23"`, `150.23`, `"150,23"`).
    Decimal,
    /// `1/0/true/false/on/off`.
    Flag,
    /// A list (array, PHP-style indexed keys, or JSON in a form field).
    List,
    /// A file (multipart part, or base64 text).
    File,
}

use ParamKind::{Decimal, File, Flag, Int, List, Text};

/// An endpoint's documentation: a row cannot be written without one, so
/// the served document lists every row of the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Doc {
    /// One line: the spec's name for it and what it does.
    pub summary: &'static str,
    /// The parameters its handler reads (query string for GET, body for POST).
    pub params: &'static [(&'static str, ParamKind)],
    /// The parameters without which it answers an error (a subset of `params`).
    pub required: &'static [&'static str],
    /// Success statuses: `200` or `201`.
    pub success: &'static [u16],
    /// The spec documents `500 {"success": false, "errors": [], "data": []}`
    /// as this endpoint's failure for bad input (§1.5).
    pub documented_500: bool,
    /// Answers `406` when a SKU it writes is taken.
    pub not_acceptable: bool,
    /// What `data` holds on success.
    pub data: DataShape,
    /// What `errors` holds on success (`product/bulkUpdate`: the rows that
    /// failed); `[]` when `None`.
    pub success_errors: Option<SchemaOf>,
}

/// What a row's successful answer carries in `data`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DataShape {
    /// Not said yet: a row must say (a test checks every row does).
    Unset,
    /// `[]`: writes, updates and deletes.
    Empty,
    /// A typed DTO (`crate::dto`), its schema from `ToSchema`.
    Of(SchemaOf),
}

/// A row's documentation, answering `200` on success.
const fn doc(summary: &'static str, params: &'static [(&'static str, ParamKind)]) -> Doc {
    Doc {
        summary,
        params,
        required: &[],
        success: &[200],
        documented_500: false,
        not_acceptable: false,
        data: DataShape::Unset,
        success_errors: None,
    }
}

impl Doc {
    /// Answers `201` on success.
    const fn created(mut self) -> Self {
        self.success = &[201];
        self
    }

    /// Answers `data: []` on success.
    const fn empty_data(mut self) -> Self {
        self.data = DataShape::Empty;
        self
    }

    /// Answers `data: {"id": "<new id>"}` on success.
    const fn new_id(mut self) -> Self {
        self.data = DataShape::Of(one::<NewId>);
        self
    }

    /// Answers this `data` on success.
    const fn data(mut self, schema: SchemaOf) -> Self {
        self.data = DataShape::Of(schema);
        self
    }

    /// Answers `success: true` with these `errors` for the parts that failed.
    const fn errors_on_success(mut self, schema: SchemaOf) -> Self {
        self.success_errors = Some(schema);
        self
    }

    /// Answers an error without these parameters.
    const fn required(mut self, names: &'static [&'static str]) -> Self {
        self.required = names;
        self
    }

    /// Answers `406 "SKU already registered"` when the SKU is taken.
    const fn refuses_taken_sku(mut self) -> Self {
        self.not_acceptable = true;
        self
    }

    /// Fails bad input with the spec's `500` and empty errors.
    const fn documented_500(mut self) -> Self {
        self.documented_500 = true;
        self
    }
}

impl Endpoint {
    /// Lowercased path.
    pub(crate) fn path(&self) -> &'static str {
        self.path
    }

    /// `GET` or `POST`.
    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    /// Takes a file.
    pub(crate) fn is_upload(&self) -> bool {
        self.upload
    }

    /// The credential it requires.
    pub(crate) fn auth(&self) -> AuthKind {
        self.auth
    }

    /// Its documentation.
    pub(crate) fn doc(&self) -> &Doc {
        &self.doc
    }
}

impl Endpoint {
    /// Requires a customer JWT instead of the store token.
    const fn customer(mut self) -> Self {
        self.auth = AuthKind::Customer;
        self
    }

    /// Names `needed` in the wrong-method error, as the doc prints it.
    const fn says_needed(mut self, needed: &'static str) -> Self {
        self.needed_literal = Some(needed);
        self
    }
}

const fn get(
    path: &'static str,
    wrong_method_status: StatusCode,
    handler: Handler,
    doc: Doc,
) -> Endpoint {
    Endpoint {
        path,
        method: Method::GET,
        wrong_method_status,
        handler,
        upload: false,
        auth: AuthKind::Store,
        needed_literal: None,
        doc,
    }
}

const fn post(
    path: &'static str,
    wrong_method_status: StatusCode,
    handler: Handler,
    doc: Doc,
) -> Endpoint {
    Endpoint {
        path,
        method: Method::POST,
        wrong_method_status,
        handler,
        upload: false,
        auth: AuthKind::Store,
        needed_literal: None,
        doc,
    }
}

/// A POST endpoint that takes a file (multipart, or base64 in a field).
const fn upload(
    path: &'static str,
    wrong_method_status: StatusCode,
    handler: Handler,
    doc: Doc,
) -> Endpoint {
    Endpoint {
        path,
        method: Method::POST,
        wrong_method_status,
        handler,
        upload: true,
        auth: AuthKind::Store,
        needed_literal: None,
        doc,
    }
}

/// Every endpoint served so far.
pub(crate) fn table() -> &'static [Endpoint] {
    static TABLE: std::sync::OnceLock<Vec<Endpoint>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        use routes::{
            banners, brands, cart, categories as cat, checkout, customers, design, images,
            manufacturers, orders, products as p, tags,
        };
        const BAD: StatusCode = StatusCode::BAD_REQUEST;
        const UNAUTHORIZED: StatusCode = StatusCode::UNAUTHORIZED;
        vec![
            get("design/getdesignforproducts", StatusCode::NOT_FOUND, design::get_design_for_products, doc("The store's settings: documented defaults overlaid with its own values.", &[]).data(one::<DesignSettings>)),
            // §3.2 images
            get("image/findbyproductsku", BAD, images::find_by_product_sku, doc("E25 `GET /image/findbyproductsku` — a product's gallery, or a variation's or grid's single image as a one-element array.", &[("product_sku", Text)]).data(list::<ImageOut>).required(&["product_sku"])),
            upload("image/insertbyproductsku", BAD, images::insert_by_product_sku, doc("E26 `POST /image/insertbyproductsku` — appends to a product's gallery, or replaces a variation's or grid's single image", &[("product_sku", Text), ("image", File), ("sort", Int), ("main", Int), ("hover", Int), ("subtitle", Text), ("status", Int)]).empty_data().required(&["product_sku", "image"])),
            post("image/deletebyproductsku", BAD, images::delete_by_product_sku, doc("E27 `POST /image/deleteByProductSku` — image `id` of a product, or the single image of a variation or grid; the file goes too.", &[("product_sku", Text), ("id", Int)]).empty_data().required(&["product_sku"])),
            post("image/deleteimagebyname", BAD, images::delete_image_by_name, doc("E28 `POST /image/deleteImageByName` — by file name (or full path) and `image_type` 1 (product), 2 (variation) or 3 (grid).", &[("image_name", Text), ("image_type", Int)]).empty_data().required(&["image_name", "image_type"])),
            // §3.5 manufacturers
            post("manufacturer/insert", BAD, manufacturers::insert, doc("E38 `POST /manufacturer/insert` — 201; 400 \"Invalid Name\" for a missing or duplicate name.", &[("name", Text)]).empty_data().created().required(&["name"])),
            get("manufacturer/deletebyname", BAD, manufacturers::delete_by_name, doc("E39 `GET /manufacturer/deleteByName` — products lose the reference.", &[("name", Text)]).empty_data().required(&["name"])),
            get("manufacturer/findbyname", BAD, manufacturers::find_by_name, doc("E40 ≡ E42 `GET /manufacturer/findByName` — one object by name, or every manufacturer when no name is sent.", &[("name", Text)]).data(one::<ManufacturerOrAll>)),
            get("manufacturer/list", BAD, manufacturers::list, doc("E41 `GET /manufacturer/list`.", &[]).data(list::<ManufacturerOut>)),
            post("manufacturer/update", BAD, manufacturers::update, doc("E43 `POST /manufacturer/update` — found by `name` (or by `id` / `manufacturer_id`, which makes `name` the new name); every failure is the documented 500.", &[("name", Text), ("id", Text), ("manufacturer_id", Text)]).empty_data().documented_500().required(&["name"])),
            post("manufacturer/linkproduct", BAD, manufacturers::link_product, doc("E44 `POST /manufacturer/linkProduct` — every failure is the documented 500.", &[("product_sku", Text), ("manufacturer_id", Int)]).empty_data().documented_500().required(&["product_sku", "manufacturer_id"])),
            post("manufacturer/unlinkproduct", BAD, manufacturers::unlink_product, doc("E45 `POST /manufacturer/unlinkproduct`.", &[("product_sku", Text)]).empty_data().documented_500().required(&["product_sku"])),
            // §3.6 brands
            get("brand/deletebyid", BAD, brands::delete_by_id, doc("E46 `GET /brand/deletebyid` — products lose the reference.", &[("id", Int)]).empty_data().required(&["id"])),
            get("brand/deletebyname", BAD, brands::delete_by_name, doc("E47 `GET /brand/deletebyname` — deletes every brand with that name.", &[("name", Text)]).empty_data().required(&["name"])),
            post("brand/insert", BAD, brands::insert, doc("E48 `POST /brand/insert` — 200 (not 201); a missing name answers the doc's only failure: 404 with `errors` as the bare string \"brand not found\".", &[("name", Text)]).empty_data().required(&["name"])),
            get("brand/findbyid", BAD, brands::find_by_id, doc("E49 `GET /brand/findbyid` — one object.", &[("id", Int)]).data(one::<BrandOut>).required(&["id"])),
            get("brand/findbyname", BAD, brands::find_by_name, doc("E50 `GET /brand/findbyname` — the first brand with that name, or every brand (an array) when no name is sent.", &[("name", Text)]).data(one::<BrandOrAll>)),
            post("brand/linkproduct", BAD, brands::link_product, doc("E51 `POST /brand/linkProduct` — every failure is the documented 500.", &[("product_sku", Text), ("brand_id", Int)]).empty_data().documented_500().required(&["product_sku", "brand_id"])),
            post("brand/unlinkproduct", BAD, brands::unlink_product, doc("E52 `POST /brand/unlinkproduct`.", &[("product_sku", Text)]).empty_data().documented_500().required(&["product_sku"])),
            post("brand/update", BAD, brands::update, doc("E53 `POST /Brand/update` — only the fields sent change; `brand_id` from the body, falling back to the query string; `order` maps to `sort`.", &[("brand_id", Int)]).empty_data().required(&["brand_id"])),
            // §3.7 tags, E22, and the product-link extensions
            post("tag/insert", BAD, tags::insert, doc("E54 `POST /tag/insert` — url = slug(name), `-` + 3 random characters on a collision (as the doc's `novidade-55i`).", &[("name", Text), ("tag_type", Int), ("category_id", Int)]).empty_data().required(&["name", "tag_type"])),
            post("tag/update", BAD, tags::update, doc("E55 `POST /tag/update` — the type never changes; 400 \"Tag not Found\".", &[("tag_id", Int), ("category_id", Int)]).empty_data().required(&["tag_id"])),
            get("tag/findbycategory", BAD, tags::find_by_category, doc("E56 `GET /tag/findbycategory`.", &[("category_id", Int)]).data(list::<TagOut>).required(&["category_id"])),
            get("tag/findbyname", BAD, tags::find_by_name, doc("E57 `GET /tag/findbyname` — substring, ignoring case.", &[("name", Text)]).data(list::<TagOut>).required(&["name"])),
            get("tag/findbyurl", BAD, tags::find_by_url, doc("E58 `GET /tag/findbyurl` — exact.", &[("url", Text)]).data(list::<TagOut>).required(&["url"])),
            get("tag/findbyid", BAD, tags::find_by_id, doc("E59 `GET /tag/findbyid` — an array of one.", &[("tag_id", Int)]).data(list::<TagOut>).required(&["tag_id"])),
            post("tag/delete", BAD, tags::delete, doc("E60 `POST /tag/delete` — with its product links.", &[("tag_id", Int)]).empty_data().required(&["tag_id"])),
            post("tag/linkproduct", BAD, tags::link_product, doc("Extension `POST /tag/linkproduct` (`product_sku`, `tag_id`): links a tag to a product explicitly — the only way a type-1 tag applies", &[("product_sku", Text), ("tag_id", Int)]).empty_data().required(&["product_sku", "tag_id"])),
            post("tag/unlinkproduct", BAD, tags::unlink_product, doc("Extension `POST /tag/unlinkproduct` (`product_sku`, `tag_id`).", &[("product_sku", Text), ("tag_id", Int)]).empty_data().required(&["product_sku", "tag_id"])),
            get("product/findtagsbysku", BAD, tags::find_tags_by_sku, doc("E22 `GET /product/findTagsBySku` — active tags linked to the product or whose type rule matches it, by id.", &[("sku", Text)]).data(list::<TagOut>).required(&["sku"])),
            // Products (ecommloja-api.md §3.1).
            get("product/findproductsbysubcategoryurl", BAD, p::listing::find_products_by_subcategory_url, doc("E01 `GET product/findProductsbySubCategoryUrl`: the sellable rows (products, variations, grids) of the subcategory (or else the category) with this `url`, 20 a page (`offset`: zero-based page).", &[("url", Text), ("offset", Int)]).data(list::<ListingRow>).required(&["url"])),
            get("product/findbysku", BAD, p::read::find_by_sku, doc("E02 `GET product/findbysku`: a product, variation or grid by SKU; `min=0` for the full shape.", &[("sku", Text), ("min", Flag)]).data(one::<ProductFound>).required(&["sku"])),
            get("product/findbyname", BAD, p::read::find_by_name, doc("E03 `GET product/findbyname`: the first product (by id) with this `name`, ignoring case and accents; the doc's `sku` is tried as a name, then as a SKU; `min=0` for the full shape.", &[("name", Text), ("sku", Text), ("min", Flag)]).data(one::<ProductFound>)),
            get("product/findvarietybyproductsku", BAD, p::units::find_variety_by_product_sku, doc("E04 `GET product/findvarietybyproductsku`: the variations of the product named by `product_sku` or `sku`, or (the doc's parameter) `product_name`, tried as a SKU then as a name.", &[("product_sku", Text), ("sku", Text), ("product_name", Text)]).data(list::<VariationRow>)),
            get("product/findvariety", BAD, p::options::find_variety, doc("E05 `GET product/findvariety`: SH-Variety rows whose name contains `name`.", &[("name", Text)]).data(list::<VarietyOut>)),
            get("product/findgridbyproductsku", BAD, p::units::find_grid_by_product_sku, doc("E06 `GET product/findgridbyproductsku`: the grids of the product named by `product_sku` or `sku`.", &[("product_sku", Text), ("sku", Text)]).data(list::<GridRow>)),
            get("product/findgrid", BAD, p::options::find_grid, doc("E07 `GET product/findgrid`: SH-Grid rows whose name contains `name`.", &[("name", Text)]).data(list::<GridOut>)),
            post("product/insert", BAD, p::write::insert_product, doc("E08 `POST product/insert` (201): a product with its `variety_data` (type 4) or `grid_data` (type 3), all or nothing.", &[("sku", Text), ("name", Text), ("type", Int), ("price", Decimal), ("promotional_price", Decimal), ("stock", Int), ("url", Text), ("brand", Text), ("manufacturer", Text), ("weight", Decimal), ("status", Int), ("variety_data", List), ("grid_data", List)]).empty_data().refuses_taken_sku().created().required(&["sku", "name"])),
            post("product/update", BAD, p::write::update_product, doc("E09 `POST product/update`: the main product named by `sku` (query string first, \"O SKU deve ser enviado por GET\"); only sent fields change, `type…", &[("sku", Text)]).empty_data().refuses_taken_sku().required(&["sku"])),
            post("product/insertvarietyproduct", BAD, p::units::insert_variety_product, doc("E10 `POST product/insertvarietyproduct`: variations for a type-4 product.", &[("sku", Text), ("variety_data", List)]).created().refuses_taken_sku().empty_data().required(&["sku", "variety_data"])),
            post("product/insertgridproduct", BAD, p::units::insert_grid_product, doc("E11 `POST product/insertgridproduct`: grids for a type-3 product.", &[("sku", Text), ("grid_data", List)]).created().refuses_taken_sku().empty_data().required(&["sku", "grid_data"])),
            get("product/findcategoriesbysku", BAD, p::read::find_categories_by_sku, doc("E12 `GET product/findcategoriesbysku`: the product's category and subcategory links in creation order.", &[("sku", Text)]).data(list::<CategoryLink>).required(&["sku"])),
            get("product/deletebysku", BAD, p::write::delete_by_sku, doc("E13 `GET product/deletebysku`: the product and, by cascade, its variations, grids, SKUs, category links, comments and relations.", &[("sku", Text)]).empty_data().required(&["sku"])),
            get("product/deletevarietybysku", BAD, p::units::delete_variety_by_sku, doc("E14 `GET product/deletevarietybysku`.", &[("sku", Text)]).empty_data().required(&["sku"])),
            get("product/deletegridbysku", BAD, p::units::delete_grid_by_sku, doc("E15 `GET product/deletegridbysku`.", &[("sku", Text)]).empty_data().required(&["sku"])),
            get("product/findvarietyandparentbyvariety", BAD, p::unit_lookups::find_variety_and_parent, doc("E16 `GET product/findvarietyandparentbyvariety`.", &[("variety_sku", Text)]).data(one::<VariationAndParent>).required(&["variety_sku"])),
            get("product/findgridandparentbygrid", BAD, p::unit_lookups::find_grid_and_parent, doc("E17 `GET product/findgridandparentbygrid`.", &[("grid_sku", Text)]).data(one::<GridAndParent>).required(&["grid_sku"])),
            get("product/constructurlvariety", BAD, p::unit_lookups::construct_url_variety, doc("E18/E19 `GET product/constructUrlVariety`: `<parent url>-<unit sku>` for `variety_sku`, else for `grid_sku`.", &[("variety_sku", Text), ("grid_sku", Text)]).data(text)),
            // Undocumented alias of the grid branch (spec E18/E19).
            get("product/constructurlgrid", BAD, p::unit_lookups::construct_url_variety, doc("E18/E19 `GET product/constructUrlVariety`: `<parent url>-<unit sku>` for `variety_sku`, else for `grid_sku`.", &[("variety_sku", Text), ("grid_sku", Text)]).data(text)),
            get("product/findcommentsbysku", BAD, p::extras::find_comments_by_sku, doc("E20 `GET product/findCommentsBySku`: the product's reviews as an array (decision 5), by date then id.", &[("sku", Text)]).data(list::<CommentOut>).required(&["sku"])),
            get("product/findrelatedbysku", BAD, p::extras::find_related_by_sku, doc("E21 `GET product/findRelatedBySku`: the products related to this one.", &[("sku", Text)]).data(list::<RelatedProduct>).required(&["sku"])),
            get("product/retainedstock", BAD, p::extras::retained_stock, doc("E23 `GET product/retainedstock`: the store's retention records (written by order creation); none is `200` with `[]`.", &[]).data(list::<RetentionOut>)),
            post("product/bulkupdate", BAD, p::bulk::bulk_update, doc("E24 `POST product/bulkUpdate`: stock, price and promotional price of up to 50 units by SKU (`inputs[n][sku]`…); always `success: true`, applied rows in `data`, failed ones in `errors`.", &[("inputs", List)]).data(list::<BulkRow>).errors_on_success(list::<BulkRow>).required(&["inputs"])),
            // Extensions (docs/loja-extensions.md): data the doc reads but cannot create.
            upload("product/insertvariety", BAD, p::options::insert_variety, doc("Extension `POST product/insertvariety`: a global variety (`name` required; `image` an upload, URL or file name, `color1`, `color2`, `icon_type` 0–3, `sort`, `status`).", &[("name", Text), ("image", File), ("color1", Text), ("color2", Text), ("icon_type", Int), ("sort", Int), ("status", Int)]).new_id().created().required(&["name"])),
            get("product/search", BAD, p::search::search, doc("`q` (required), `offset` (zero-based page, default 0), `min` (basic or full shape, as `findbysku`; basic by default).", &[("q", Text), ("offset", Int), ("min", Int)]).data(list::<ProductShape>).required(&["q"])),
            post("product/insertgrid", BAD, p::options::insert_grid, doc("Extension `POST product/insertgrid`: a global grid (`name` required; `sort`, `status`).", &[("name", Text), ("sort", Int), ("status", Int)]).new_id().created().required(&["name"])),
            post("product/insertcomment", BAD, p::extras::insert_comment, doc("Extension `POST product/insertcomment`: a review of the product `sku` (`customer_name` required, `customer_email`, `rating` 1–5, `comment`).", &[("sku", Text), ("customer_name", Text), ("customer_email", Text), ("rating", Int), ("comment", Text)]).new_id().created().required(&["sku", "customer_name", "rating"])),
            post("product/linkrelated", BAD, p::extras::link_related, doc("Extension `POST product/linkrelated`: relates `related_sku` to `sku` (directional; relating twice is a no-op).", &[("sku", Text), ("related_sku", Text)]).empty_data().created().required(&["sku", "related_sku"])),
            // Categories (§3.4).
            get("category/findbyname", BAD, cat::find_by_name, doc("E32 `GET category/findbyname`: categories then subcategories whose name contains `name` (all when absent), each with its direct `children` and its `parent`.", &[("name", Text)]).data(list::<CategoryMatch>)),
            post("category/linkproduct", BAD, cat::link_product, doc("E33 `POST category/linkproduct` (201; relinking is a no-op).", &[("product_sku", Text), ("category_id", Int), ("type", Int)]).empty_data().created().required(&["product_sku", "category_id"])),
            post("category/unlinkproduct", BAD, cat::unlink_product, doc("E34 `POST category/unlinkproduct` (200 also when there was no link).", &[("product_sku", Text), ("category_id", Int), ("type", Int)]).empty_data().required(&["product_sku", "category_id"])),
            post("category/insert", BAD, cat::insert_category, doc("E35 `POST category/insert`: a category, or a subcategory under an existing category (`parent_type` 1) or subcategory (`parent_type` 2).", &[("name", Text), ("url", Text), ("parent_id", Int), ("parent_type", Int)]).empty_data().created().required(&["name"])),
            post("category/update", BAD, cat::update_category, doc("E36 `POST category/update`: only the fields sent change; url and parent stay.", &[("category_id", Int)]).empty_data().required(&["category_id"])),
            get("category/findsalebycategory", BAD, routes::sales::find_sale_by_category, doc("E37 `GET category/findSaleByCategory`: the category's sales plus the store-wide ones (`category_id` 0, `category_name` \"Todas\"), by id.", &[("category_id", Int)]).data(list::<SaleOut>).required(&["category_id"])),
            // Extension (docs/loja-extensions.md).
            post("category/insertsale", BAD, routes::sales::insert_sale, doc("Extension `POST category/insertsale`: `name`, `start_date`, `end_date` required; `url`, `category_id` (0 = all), `subcategory_id`, `aplication`, `sale_type`, `sale_value`, `product_amount`, `minimum_value_order`, `comments`, `status` optional.", &[("name", Text), ("start_date", Text), ("end_date", Text), ("url", Text), ("category_id", Int), ("subcategory_id", Int)]).new_id().created().required(&["name", "start_date", "end_date"])),
            // §3.3 orders, and the extension for orders of other channels.
            get("order/findbyid", BAD, orders::find_by_id, doc("E29 `GET order/findbyid` (`id`): 404 `\"Order not found[<id>]\"`.", &[("id", Text)]).data(one::<OrderOut>).required(&["id"])),
            get("order/findbyfilter", BAD, orders::find_by_filter, doc("E30 `GET order/findbyfilter`: by `date_start`, `date_end`, `status`, `payment_method`, `before_id` (AND; the newest 500, ascending id; page back with `before_id`); none → the last 50.", &[("date_start", Text), ("date_end", Text), ("status", Int), ("payment_method", Text), ("before_id", Int)]).data(list::<OrderOut>)),
            post("order/changestatus", BAD, orders::change_status, doc("E31 `POST order/changestatus` (`id`, `new_status` 1–10): locks the order, refuses illegal transitions (400 naming both statuses), consumes, releases or restocks the units (`restock=0` keeps a cancelled sale's units out) and sets the status.", &[("new_status", Int), ("id", Int), ("restock", Flag)]).empty_data().required(&["id", "new_status"])),
            post("order/insert", BAD, orders::insert_order, doc("Extension `POST order/insert`: an order from another channel for customer `customer_id`, lines `items[n][sku]`/`items[n][quantity]`, optional `shipping`, `discount`, `status` (a paid status consumes the stock at once), `payment_method`, `delivery_type`, `channel`.", &[("customer_id", Int), ("items", List), ("shipping", Decimal), ("payment_method", Text), ("installments", Int)]).new_id().created().required(&["customer_id", "items"])),
            // §3.9 banners, and the upload extension.
            get("banner/findbannerbyfilter", StatusCode::NOT_FOUND, banners::find_banner_by_filter, doc("E62 `GET banner/findBannerByFilter` (`date_start`, `date_end`, `status`, `device` SM/M/SD/D): an array, by sort then id; with no filter the last 6 active banners.", &[("date_start", Text), ("date_end", Text), ("status", Int), ("device", Text)]).data(list::<BannerOut>)),
            upload("banner/insert", BAD, banners::insert_banner, doc("Extension `POST banner/insert` (multipart or base64): `image` (desktop) and/or `mobile_image`, `link`, `subtitle`, `type` (1), `main`, `sort`, `date_start`, `date_end`, `status`; 201 with the new `id`.", &[("image", File), ("mobile_image", File), ("link", Text), ("subtitle", Text), ("type", Int), ("main", Int), ("sort", Int), ("date_start", Text), ("date_end", Text), ("status", Int), ("device", Text)]).created().new_id()),
            // §3.10 cart and customer. The GET row comes first: it names
            // the method other methods are told to use.
            get("cart/findcartbyhash", UNAUTHORIZED, cart::find_cart_by_hash, doc("E64 `GET cart/findcartbyhash`: an open cart of the JWT's customer by `hash`; another customer's cart, a closed or unknown one is 401 `\"Cart not fo…", &[("hash", Text)]).data(one::<CartOut>).required(&["hash"])).customer(),
            post("cart/findcartbyhash", UNAUTHORIZED, checkout::finalise_order, doc("E63 `POST cart/findcartbyhash`: the cart named by `hash` (or the customer's open cart) becomes an order; `ip_cliente` is required.", &[("ip_cliente", Text), ("hash", Text)]).data(one::<OrderPlaced>).required(&["ip_cliente"]))
            .customer(),
            post("client/clientlogin", UNAUTHORIZED, customers::client_login, doc("E65 `POST client/clientlogin` (`email`, `pass`, `Min`/`min`): a fresh JWT and, in full form, the profile and the open cart.", &[("email", Text), ("pass", Text), ("Min", Flag), ("min", Flag)]).data(one::<LoginOut>).required(&["email", "pass"])).says_needed("GET"),
            // Extensions (docs/loja-extensions.md): sign-up and cart writes.
            post("client/register", BAD, customers::register, doc("Extension `POST client/register`: a customer of the store (PF `type` 1 or PJ 2, the fields the order examples show) with a password `pass` (at least 6 characters); 201 with the new `id`.", &[("type", Int), ("name", Text), ("email", Text), ("pass", Text)]).new_id().created().required(&["name", "email", "pass"])),
            post("cart/addproduct", UNAUTHORIZED, cart::add_product, doc("Extension `POST cart/addproduct` (`sku`, `quantity` = 1): adds units of a type-1 product, a variation or a grid to the customer's open cart, opening one if needed; answers the cart.", &[("sku", Text), ("quantity", Int)]).data(one::<CartOut>).required(&["sku"])).customer(),
            post("cart/updatequantity", UNAUTHORIZED, cart::update_quantity, doc("Extension `POST cart/updatequantity` (`sku`, `quantity` ≥ 1).", &[("sku", Text), ("quantity", Int)]).data(one::<CartOut>).required(&["sku", "quantity"])).customer(),
            post("cart/removeproduct", UNAUTHORIZED, cart::remove_product, doc("Extension `POST cart/removeproduct` (`sku`).", &[("sku", Text)]).data(one::<CartOut>).required(&["sku"])).customer(),
            post("client/changepassword", UNAUTHORIZED, customers::change_password, doc("Extension `POST client/changepassword` (customer JWT): `pass` (current) and `new_pass` (≥ 6 characters); every earlier token of the customer stops working; answers a fresh `token`.", &[("pass", Text), ("new_pass", Text)]).data(one::<TokenOut>).required(&["pass", "new_pass"])).customer(),
        ]
    })
}

/// Lowercased, one trailing `/` and the leading `/` removed.
pub(crate) fn normalize(path: &str) -> String {
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    path.to_ascii_lowercase()
}

/// The rows sharing one path.
pub(crate) struct Candidates {
    pub path: &'static str,
    rows: Vec<&'static Endpoint>,
}

pub(crate) fn find(path: &str) -> Option<Candidates> {
    let rows: Vec<_> = table().iter().filter(|e| e.path == path).collect();
    let first = rows.first()?;
    Some(Candidates {
        path: first.path,
        rows,
    })
}

impl Candidates {
    /// The row for this method, or the documented wrong-method error.
    pub(crate) fn for_method(&self, method: &Method) -> Result<&'static Endpoint, LojaError> {
        if let Some(e) = self.rows.iter().find(|e| e.method == *method) {
            return Ok(e);
        }
        // Several methods on one path cannot happen for a wrong-method
        // answer's wording; the first row names what is needed.
        let first = self.rows[0];
        Err(LojaError::WrongMethod {
            needed: if let Some(literal) = first.needed_literal {
                literal
            } else if first.method == Method::GET {
                "GET"
            } else {
                "POST"
            },
            status: first.wrong_method_status,
        })
    }
}

/// Reads the body (bounded), authenticates, runs the handler.
pub(crate) async fn run(
    endpoint: &Endpoint,
    state: LojaState,
    req: Request,
) -> Result<Response, LojaError> {
    let (parts, body): (_, Body) = req.into_parts();
    let limit = if endpoint.upload {
        state.upload_limit
    } else {
        state.body_limit
    };
    let bytes = to_bytes(body, limit)
        .await
        .map_err(|_| LojaError::PayloadTooLarge)?;
    let params = Params::parse(parts.uri.query(), &parts.headers, &bytes).await?;
    // Counted after authentication (a 401 costs nobody), before the
    // handler runs (a refused request is not processed).
    let spend = |account, caller| admit(&state, account, caller, &parts.extensions);
    let (scope, customer, caller) = match endpoint.auth {
        AuthKind::Store => {
            let mut caller = None;
            let scope = authenticate(
                &state.store,
                &parts.headers,
                &params,
                |account, credential| {
                    let who = Caller::Credential(credential);
                    caller = Some(who);
                    spend(account, who)
                },
            )
            .await?;
            (scope, None, caller)
        }
        AuthKind::Customer => {
            let customer = authenticate_customer(&state.store, &parts.headers, &params).await?;
            let who = Caller::Customer(customer.store.store, customer.customer_id);
            spend(customer.store.account, who)?;
            (customer.store, Some(customer), Some(who))
        }
    };
    // A keyed request: the server's idempotency gate, now that the
    // credential has authenticated and the body is read within this
    // endpoint's limit.
    if let (Some(gate), Some(caller)) = (parts.extensions.get::<Gate<Response>>(), caller) {
        if let Entry::Answer(answer) = gate.enter(&caller.idempotency_scope(), &bytes).await {
            return Ok(answer);
        }
    }
    (endpoint.handler)(Ctx {
        state,
        scope,
        customer,
        params,
        origin: crate::wire::origin(&parts.headers),
    })
    .await
}

/// Spends one request of `caller`'s budget and of its account's,
/// recording the quota for the response headers; `429` once either budget
/// of this window is spent.
fn admit(
    state: &LojaState,
    account: AccountId,
    caller: Caller,
    extensions: &Extensions,
) -> Result<(), LojaError> {
    state
        .limiter
        .admit(account, caller, extensions.get::<QuotaSlot>())
        .map_err(|retry_after| LojaError::TooManyRequests { retry_after })
}
