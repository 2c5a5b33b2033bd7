//! The endpoint table: path, method, the status the doc gives a wrong
//! method, and the handler. One row per documented (method, path).

use std::future::Future;
use std::pin::Pin;

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{Extensions, Method, StatusCode};
use axum::response::Response;
use vitrine_core::idempotency::Preempt;
use vitrine_core::rate_limit::QuotaSlot;

use crate::auth::{authenticate, StoreAuth};
use crate::jwt::{authenticate_customer, CustomerAuth};
use crate::params::Params;
use crate::routes;
use crate::{Caller, LojaError, LojaState};

/// What a handler receives: the state, the authenticated store, the
/// customer of a customer-JWT endpoint, the parameters.
pub(crate) struct Ctx {
    pub state: LojaState,
    pub auth: StoreAuth,
    pub customer: Option<CustomerAuth>,
    pub params: Params,
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

const fn get(path: &'static str, wrong_method_status: StatusCode, handler: Handler) -> Endpoint {
    Endpoint {
        path,
        method: Method::GET,
        wrong_method_status,
        handler,
        upload: false,
        auth: AuthKind::Store,
        needed_literal: None,
    }
}

const fn post(path: &'static str, wrong_method_status: StatusCode, handler: Handler) -> Endpoint {
    Endpoint {
        path,
        method: Method::POST,
        wrong_method_status,
        handler,
        upload: false,
        auth: AuthKind::Store,
        needed_literal: None,
    }
}

/// A POST endpoint that takes a file (multipart, or base64 in a field).
const fn upload(path: &'static str, wrong_method_status: StatusCode, handler: Handler) -> Endpoint {
    Endpoint {
        path,
        method: Method::POST,
        wrong_method_status,
        handler,
        upload: true,
        auth: AuthKind::Store,
        needed_literal: None,
    }
}

/// Every endpoint served so far.
fn table() -> &'static [Endpoint] {
    static TABLE: std::sync::OnceLock<Vec<Endpoint>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        use routes::{
            banners, brands, cart, categories as cat, checkout, customers, design, images,
            manufacturers, orders, products as p, tags,
        };
        const BAD: StatusCode = StatusCode::BAD_REQUEST;
        const UNAUTHORIZED: StatusCode = StatusCode::UNAUTHORIZED;
        vec![
            get(
                "design/getdesignforproducts",
                StatusCode::NOT_FOUND,
                design::get_design_for_products,
            ),
            // §3.2 images
            get("image/findbyproductsku", BAD, images::find_by_product_sku),
            upload(
                "image/insertbyproductsku",
                BAD,
                images::insert_by_product_sku,
            ),
            post(
                "image/deletebyproductsku",
                BAD,
                images::delete_by_product_sku,
            ),
            post("image/deleteimagebyname", BAD, images::delete_image_by_name),
            // §3.5 manufacturers
            post("manufacturer/insert", BAD, manufacturers::insert),
            get(
                "manufacturer/deletebyname",
                BAD,
                manufacturers::delete_by_name,
            ),
            get("manufacturer/findbyname", BAD, manufacturers::find_by_name),
            get("manufacturer/list", BAD, manufacturers::list),
            post("manufacturer/update", BAD, manufacturers::update),
            post("manufacturer/linkproduct", BAD, manufacturers::link_product),
            post(
                "manufacturer/unlinkproduct",
                BAD,
                manufacturers::unlink_product,
            ),
            // §3.6 brands
            get("brand/deletebyid", BAD, brands::delete_by_id),
            get("brand/deletebyname", BAD, brands::delete_by_name),
            post("brand/insert", BAD, brands::insert),
            get("brand/findbyid", BAD, brands::find_by_id),
            get("brand/findbyname", BAD, brands::find_by_name),
            post("brand/linkproduct", BAD, brands::link_product),
            post("brand/unlinkproduct", BAD, brands::unlink_product),
            post("brand/update", BAD, brands::update),
            // §3.7 tags, E22, and the product-link extensions
            post("tag/insert", BAD, tags::insert),
            post("tag/update", BAD, tags::update),
            get("tag/findbycategory", BAD, tags::find_by_category),
            get("tag/findbyname", BAD, tags::find_by_name),
            get("tag/findbyurl", BAD, tags::find_by_url),
            get("tag/findbyid", BAD, tags::find_by_id),
            post("tag/delete", BAD, tags::delete),
            post("tag/linkproduct", BAD, tags::link_product),
            post("tag/unlinkproduct", BAD, tags::unlink_product),
            get("product/findtagsbysku", BAD, tags::find_tags_by_sku),
            // Products (ecommloja-api.md §3.1).
            get(
                "product/findproductsbysubcategoryurl",
                BAD,
                p::listing::find_products_by_subcategory_url,
            ),
            get("product/findbysku", BAD, p::read::find_by_sku),
            get("product/findbyname", BAD, p::read::find_by_name),
            get(
                "product/findvarietybyproductsku",
                BAD,
                p::units::find_variety_by_product_sku,
            ),
            get("product/findvariety", BAD, p::options::find_variety),
            get(
                "product/findgridbyproductsku",
                BAD,
                p::units::find_grid_by_product_sku,
            ),
            get("product/findgrid", BAD, p::options::find_grid),
            post("product/insert", BAD, p::write::insert_product),
            post("product/update", BAD, p::write::update_product),
            post(
                "product/insertvarietyproduct",
                BAD,
                p::units::insert_variety_product,
            ),
            post(
                "product/insertgridproduct",
                BAD,
                p::units::insert_grid_product,
            ),
            get(
                "product/findcategoriesbysku",
                BAD,
                p::read::find_categories_by_sku,
            ),
            get("product/deletebysku", BAD, p::write::delete_by_sku),
            get(
                "product/deletevarietybysku",
                BAD,
                p::units::delete_variety_by_sku,
            ),
            get("product/deletegridbysku", BAD, p::units::delete_grid_by_sku),
            get(
                "product/findvarietyandparentbyvariety",
                BAD,
                p::unit_lookups::find_variety_and_parent,
            ),
            get(
                "product/findgridandparentbygrid",
                BAD,
                p::unit_lookups::find_grid_and_parent,
            ),
            get(
                "product/constructurlvariety",
                BAD,
                p::unit_lookups::construct_url_variety,
            ),
            // Undocumented alias of the grid branch (spec E18/E19).
            get(
                "product/constructurlgrid",
                BAD,
                p::unit_lookups::construct_url_variety,
            ),
            get(
                "product/findcommentsbysku",
                BAD,
                p::extras::find_comments_by_sku,
            ),
            get(
                "product/findrelatedbysku",
                BAD,
                p::extras::find_related_by_sku,
            ),
            get("product/retainedstock", BAD, p::extras::retained_stock),
            post("product/bulkupdate", BAD, p::bulk::bulk_update),
            // Extensions (docs/loja-extensions.md): data the doc reads but cannot create.
            post("product/insertvariety", BAD, p::options::insert_variety),
            get("product/search", BAD, p::search::search),
            post("product/insertgrid", BAD, p::options::insert_grid),
            post("product/insertcomment", BAD, p::extras::insert_comment),
            post("product/linkrelated", BAD, p::extras::link_related),
            // Categories (§3.4).
            get("category/findbyname", BAD, cat::find_by_name),
            post("category/linkproduct", BAD, cat::link_product),
            post("category/unlinkproduct", BAD, cat::unlink_product),
            post("category/insert", BAD, cat::insert_category),
            post("category/update", BAD, cat::update_category),
            get(
                "category/findsalebycategory",
                BAD,
                routes::sales::find_sale_by_category,
            ),
            // Extension (docs/loja-extensions.md).
            post("category/insertsale", BAD, routes::sales::insert_sale),
            // §3.3 orders, and the extension for orders of other channels.
            get("order/findbyid", BAD, orders::find_by_id),
            get("order/findbyfilter", BAD, orders::find_by_filter),
            post("order/changestatus", BAD, orders::change_status),
            post("order/insert", BAD, orders::insert_order),
            // §3.9 banners, and the upload extension.
            get(
                "banner/findbannerbyfilter",
                StatusCode::NOT_FOUND,
                banners::find_banner_by_filter,
            ),
            upload("banner/insert", BAD, banners::insert_banner),
            // §3.10 cart and customer. The GET row comes first: it names
            // the method other methods are told to use.
            get("cart/findcartbyhash", UNAUTHORIZED, cart::find_cart_by_hash).customer(),
            post(
                "cart/findcartbyhash",
                UNAUTHORIZED,
                checkout::finalise_order,
            )
            .customer(),
            post("client/clientlogin", UNAUTHORIZED, customers::client_login).says_needed("GET"),
            // Extensions (docs/loja-extensions.md): sign-up and cart writes.
            post("client/register", BAD, customers::register),
            post("cart/addproduct", UNAUTHORIZED, cart::add_product).customer(),
            post("cart/updatequantity", UNAUTHORIZED, cart::update_quantity).customer(),
            post("cart/removeproduct", UNAUTHORIZED, cart::remove_product).customer(),
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
    let spend = |caller| admit(&state, caller, &parts.extensions);
    let (auth, customer) = match endpoint.auth {
        AuthKind::Store => {
            let auth = authenticate(&state.store, &parts.headers, &params, |credential| {
                spend(Caller::Credential(credential))
            })
            .await?;
            (auth, None)
        }
        AuthKind::Customer => {
            let customer = authenticate_customer(&state.store, &parts.headers, &params).await?;
            spend(Caller::Customer(
                customer.store.store_id,
                customer.customer_id,
            ))?;
            (customer.store, Some(customer))
        }
    };
    // The server already chose this keyed request's answer (a replay or a
    // refusal); it is given now that the credential has authenticated.
    if let Some(answer) = parts
        .extensions
        .get::<Preempt<Response>>()
        .and_then(Preempt::take)
    {
        return Ok(answer);
    }
    (endpoint.handler)(Ctx {
        state,
        auth,
        customer,
        params,
    })
    .await
}

/// Spends one request of `caller`'s budget, recording the quota for the
/// response headers; `429` once the budget of this window is spent.
fn admit(state: &LojaState, caller: Caller, extensions: &Extensions) -> Result<(), LojaError> {
    let Some(quota) = state.limiter.check(caller) else {
        return Ok(());
    };
    if let Some(slot) = extensions.get::<QuotaSlot>() {
        slot.set(quota);
    }
    match quota.retry_after {
        Some(retry_after) => Err(LojaError::TooManyRequests { retry_after }),
        None => Ok(()),
    }
}
