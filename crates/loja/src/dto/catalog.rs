//! Categories, brands, manufacturers, tags, sales and design settings
//! (§3.0 SH-Category1, SH-Category2, SH-Brand, SH-Manufacturer, SH-Tag;
//! E12, E32, E37, E61).

use serde::Serialize;
use utoipa::ToSchema;
use vitrine_store::brands::Brand;
use vitrine_store::categories::{Category, Subcategory};
use vitrine_store::manufacturers::Manufacturer;
use vitrine_store::sales::Sale;
use vitrine_store::tags::Tag;

use super::{or_empty, EmptyList, Flag, Int, LocalTime, Money};

/// SH-Category1: a category (type 1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CategoryOut {
    pub id: Int,
    pub name: String,
    pub sort: Int,
    pub url: String,
    pub description: String,
    pub view_menu: Flag,
    pub visits: Int,
    pub meta_description: String,
    pub meta_title: String,
    pub meta_keys: String,
    /// 1 category, 2 institutional page.
    pub hot_page: Int,
    pub page_id: Int,
    pub status: Flag,
}

impl From<&Category> for CategoryOut {
    fn from(c: &Category) -> Self {
        let f = &c.fields;
        Self {
            id: c.id.into(),
            name: f.name.clone(),
            sort: Int(f.sort),
            url: c.url.clone(),
            description: f.description.clone(),
            view_menu: Flag(f.view_menu),
            visits: Int(c.visits),
            meta_description: f.meta_description.clone(),
            meta_title: f.meta_title.clone(),
            meta_keys: f.meta_keys.clone(),
            hot_page: Int(f.hot_page),
            page_id: Int(f.page_id),
            status: Flag(f.status),
        }
    }
}

/// SH-Category2: a subcategory (type 2); one of `parent_id` (a category)
/// and `sub_parent_id` (a subcategory) is `"0"`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SubcategoryOut {
    pub id: Int,
    pub parent_id: Int,
    pub sub_parent_id: Int,
    pub name: String,
    pub sort: Int,
    pub url: String,
    pub status: Flag,
}

impl From<&Subcategory> for SubcategoryOut {
    fn from(c: &Subcategory) -> Self {
        Self {
            id: c.id.into(),
            parent_id: c.parent_id.into(),
            sub_parent_id: c.sub_parent_id.into(),
            name: c.fields.name.clone(),
            sort: Int(c.fields.sort),
            url: c.url.clone(),
            status: Flag(c.fields.status),
        }
    }
}

/// A category or a subcategory, in its own shape.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum AnyCategory {
    /// Type 1.
    Category(CategoryOut),
    /// Type 2.
    Subcategory(SubcategoryOut),
}

or_empty!(
    /// A subcategory's parent, `[]` if it no longer exists.
    CategoryParent(AnyCategory)
);

/// E12: one link of a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CategoryLink {
    pub category_id: Int,
    pub category_data: AnyCategory,
    /// A JSON integer: 1 category, 2 subcategory.
    pub category_type: i16,
}

/// E32: a category with its direct subcategories (`parent` is `[]`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CategoryFamily {
    #[serde(flatten)]
    pub category: CategoryOut,
    pub children: Vec<SubcategoryOut>,
    pub parent: EmptyList,
}

/// E32: a subcategory with its direct subcategories and its parent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SubcategoryFamily {
    #[serde(flatten)]
    pub subcategory: SubcategoryOut,
    pub children: Vec<SubcategoryOut>,
    /// The parent category or subcategory; `[]` if it no longer exists.
    pub parent: CategoryParent,
}

/// One match of E32 `category/findbyname`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum CategoryMatch {
    /// Categories come first.
    Category(CategoryFamily),
    /// Then subcategories.
    Subcategory(SubcategoryFamily),
}

/// SH-Brand (`last_upload` [sic]).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BrandOut {
    pub id: Int,
    pub name: String,
    pub url: String,
    pub description: String,
    pub sort: Int,
    pub view_menu: Flag,
    pub meta_description: String,
    pub meta_title: String,
    pub meta_keys: String,
    pub date_register: LocalTime,
    pub last_upload: LocalTime,
    pub status: Flag,
}

impl From<&Brand> for BrandOut {
    fn from(b: &Brand) -> Self {
        let f = &b.fields;
        Self {
            id: b.id.into(),
            name: f.name.clone(),
            url: f.url.clone(),
            description: f.description.clone(),
            sort: Int(f.sort),
            view_menu: Flag(f.view_menu),
            meta_description: f.meta_description.clone(),
            meta_title: f.meta_title.clone(),
            meta_keys: f.meta_keys.clone(),
            date_register: LocalTime(b.date_register),
            last_upload: LocalTime(b.last_upload),
            status: Flag(f.status),
        }
    }
}

/// E50 `brand/findbyname`: the first brand with the name, or every brand
/// when no name is sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum BrandOrAll {
    /// With `name`.
    One(BrandOut),
    /// Without.
    All(Vec<BrandOut>),
}

/// SH-Manufacturer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ManufacturerOut {
    pub id: Int,
    pub name: String,
    pub url: String,
    pub code: String,
    pub description: String,
    pub meta_description: String,
    pub meta_title: String,
    pub meta_keys: String,
    pub insert_date: LocalTime,
    pub last_update: LocalTime,
    pub status: Flag,
}

impl From<&Manufacturer> for ManufacturerOut {
    fn from(m: &Manufacturer) -> Self {
        let f = &m.fields;
        Self {
            id: m.id.into(),
            name: f.name.clone(),
            url: f.url.clone(),
            code: f.code.clone(),
            description: f.description.clone(),
            meta_description: f.meta_description.clone(),
            meta_title: f.meta_title.clone(),
            meta_keys: f.meta_keys.clone(),
            insert_date: LocalTime(m.insert_date),
            last_update: LocalTime(m.last_update),
            status: Flag(f.status),
        }
    }
}

/// E40/E42 `manufacturer/findByName`: one by name, or every manufacturer
/// when no name is sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum ManufacturerOrAll {
    /// With `name`.
    One(ManufacturerOut),
    /// Without.
    All(Vec<ManufacturerOut>),
}

/// SH-Tag; `category_id` only on type 6.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct TagOut {
    pub id: Int,
    pub name: String,
    pub url: String,
    pub bg_color: String,
    pub txt_color: String,
    /// 1 to 6.
    pub tag_type: Int,
    /// The category of a type-6 tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub category_id: Option<Int>,
    pub days: Int,
    pub minimum_price: Money,
    pub register_date: LocalTime,
    pub last_update: LocalTime,
    pub status: Flag,
}

impl From<&Tag> for TagOut {
    fn from(t: &Tag) -> Self {
        let f = &t.fields;
        Self {
            id: t.id.into(),
            name: f.name.clone(),
            url: t.url.clone(),
            bg_color: f.bg_color.clone(),
            txt_color: f.txt_color.clone(),
            tag_type: Int(i64::from(t.tag_type)),
            category_id: (t.tag_type == 6).then(|| f.category_id.into()),
            days: Int(f.days),
            minimum_price: Money(f.minimum_price),
            register_date: LocalTime(t.register_date),
            last_update: LocalTime(t.last_update),
            status: Flag(f.status),
        }
    }
}

/// E37: a sale of a category, or a store-wide one (`category_id` `"0"`,
/// `category_name` `"Todas"`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SaleOut {
    pub id: Int,
    pub name: String,
    pub url: String,
    pub category_id: Int,
    pub subcategory_id: Int,
    pub category_name: String,
    /// 1 per product, 2 per order (`aplication` [sic]).
    pub aplication: Int,
    /// 1 percentage, 2 fixed amount.
    pub sale_type: Int,
    pub sale_value: Money,
    pub product_amount: Int,
    pub minimum_value_order: Money,
    /// Store-local `YYYY-MM-DD HH:MM:SS`.
    pub start_date: String,
    /// Store-local `YYYY-MM-DD HH:MM:SS`.
    pub end_date: String,
    pub comments: String,
    pub date_register: LocalTime,
    pub last_update: LocalTime,
    pub status: Flag,
}

impl From<&Sale> for SaleOut {
    fn from(sale: &Sale) -> Self {
        let f = &sale.fields;
        let category_name = match &sale.category_name {
            Some(name) if f.category_id.0 != 0 => name.clone(),
            _ => "Todas".to_owned(),
        };
        Self {
            id: sale.id.into(),
            name: f.name.clone(),
            url: f.url.clone(),
            category_id: f.category_id.into(),
            subcategory_id: f.subcategory_id.into(),
            category_name,
            aplication: Int(f.aplication),
            sale_type: Int(f.sale_type),
            sale_value: Money(f.sale_value),
            product_amount: Int(f.product_amount),
            minimum_value_order: Money(f.minimum_value_order),
            start_date: f.start_date.clone(),
            end_date: f.end_date.clone(),
            comments: f.comments.clone(),
            date_register: LocalTime(sale.date_register),
            last_update: LocalTime(sale.last_update),
            status: Flag(f.status),
        }
    }
}

/// Declares the design settings once: the struct E61 answers (keys in
/// documented order) and the documented default of each.
macro_rules! design_settings {
    ($($key:ident = $default:expr,)*) => {
        /// E61 `design/getDesignforProducts`: the store's product-page
        /// settings, its own values over the documented defaults.
        #[derive(Debug, Clone, Serialize, ToSchema)]
        pub(crate) struct DesignSettings {
            $(pub $key: String,)*
        }

        impl DesignSettings {
            /// The defaults, each overridden by the store's value for its key.
            pub(crate) fn with(overrides: &[(String, String)]) -> Self {
                let value = |key: &str, default: &str| {
                    overrides
                        .iter()
                        .find(|(k, _)| k == key)
                        .map_or(default, |(_, v)| v.as_str())
                        .to_owned()
                };
                Self {
                    $($key: value(stringify!($key), $default),)*
                }
            }
        }
    };
}

design_settings! {
    mostrar_marca = "0",
    redirect_cart = "1",
    view_botao_comprar = "1",
    checkout_orcamento = "0",
    mostrar_lista_desejos = "0",
    ocultar_sku = "0",
    view_preco_logado = "0",
    oculta_preco = "0",
    preco_produtos_sem_estoque = "0",
    info_pagamento = "",
    mostrar_grafico_produtos = "0",
    orcamento = "0",
    text_botao_comprar = "Comprar",
    orcamento_titulo = "",
    orcamento_subtitulo = "",
    caixa_obs = "",
    agendamento = "",
    hover_btn_comprar = "0",
    ocultar_cep_produto = "0",
    modelo_preco = "1",
    view_preco_parcelado = "0",
}
