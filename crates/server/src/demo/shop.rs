//! The online accessories shop of the demo (Loja API and the panel's
//! Produtos and Pedidos): brands, categories whose products belong in
//! them, products with images, a customer who can sign in, a paid order
//! and one awaiting payment.
//!
//! Written with the Loja API's own calls: the store's product, category,
//! image and customer repositories, and the shop's use cases —
//! `vitrine_app::shop::orders::place`, the checkout's stock-taking path,
//! then `change_status`, the one status-change path — so the stock
//! follows the orders.

use chrono::{DateTime, Duration, Utc};
use vitrine_app::shop::orders::{change_status, place, Line, Restock};
use vitrine_core::catalog::ProductType;
use vitrine_core::credentials::hash_password;
use vitrine_core::ids::{OrderId, ShopScope};
use vitrine_core::order::Status;
use vitrine_store::brands::BrandFields;
use vitrine_store::categories::{CategoryFields, CategoryRef};
use vitrine_store::customers::CustomerFields;
use vitrine_store::images::NewImage;
use vitrine_store::orders::OrderFields;
use vitrine_store::products::ProductFields;
use vitrine_store::Tx;

use super::art::{Colour, Icon};

/// The categories, each with the tint of its products' images.
pub(super) const CATEGORIES: [(&str, Colour); 5] = [
    ("Limpeza e Estética", [38, 140, 170]),
    ("Tintas e Retoques", [196, 60, 50]),
    ("Acessórios Internos", [90, 96, 110]),
    ("Eletrônicos Automotivos", [60, 90, 180]),
    ("Segurança", [220, 150, 30]),
];

const BRANDS: [&str; 4] = [
    "Brilho Max",
    "Retok Cores",
    "Rota Acessórios",
    "Pilar Eletrônicos",
];

/// A product of the shop.
pub(super) struct ProductSeed {
    pub sku: &'static str,
    pub name: &'static str,
    /// Index in [`CATEGORIES`].
    pub category: usize,
    brand: usize,
    price: i64,
    promotional: i64,
    stock: i64,
    /// Grams.
    weight: i64,
    /// Height, length, width in cm.
    size: (i64, i64, i64),
    short: &'static str,
    pub icon: Icon,
    pub colour: Colour,
}

/// The catalogue: car accessories, each in the category it belongs to.
/// SKUs unlike the Loja document's examples (`123123`, `182577`…), which a
/// reader may insert while following it.
#[rustfmt::skip]
pub(super) const PRODUCTS: [ProductSeed; 12] = [
    ProductSeed { sku: "ACS-CERA-300", name: "Cera de Carnaúba Automotiva 300 g", category: 0, brand: 0,
        price: 5_990, promotional: 4_990, stock: 40, weight: 380, size: (8, 12, 12),
        short: "Brilho intenso e proteção por até três meses.", icon: Icon::Jar, colour: [226, 170, 40] },
    ProductSeed { sku: "ACS-SHAMPOO-15", name: "Shampoo Automotivo Neutro 1,5 L", category: 0, brand: 0,
        price: 3_490, promotional: 0, stock: 60, weight: 1_600, size: (28, 12, 8),
        short: "Limpa sem remover a cera; rende até 30 lavagens.", icon: Icon::Bottle, colour: [40, 150, 190] },
    ProductSeed { sku: "ACS-PLAST-500", name: "Revitalizador de Plásticos 500 ml", category: 0, brand: 0,
        price: 2_990, promotional: 0, stock: 35, weight: 560, size: (22, 8, 6),
        short: "Devolve a cor de para-choques e painéis.", icon: Icon::Bottle, colour: [50, 54, 60] },
    ProductSeed { sku: "ACS-RETOQUE-PTO", name: "Caneta de Retoque de Pintura Preto Ninja", category: 1, brand: 1,
        price: 3_990, promotional: 0, stock: 25, weight: 40, size: (15, 3, 3),
        short: "Cobre riscos e pequenas lascas na cor original.", icon: Icon::Pen, colour: [30, 30, 34] },
    ProductSeed { sku: "ACS-SPRAY-PRATA", name: "Tinta Spray Automotiva Prata 300 ml", category: 1, brand: 1,
        price: 3_290, promotional: 0, stock: 30, weight: 350, size: (20, 7, 7),
        short: "Secagem rápida, para rodas e retoques.", icon: Icon::Spray, colour: [168, 172, 178] },
    ProductSeed { sku: "ACS-VERNIZ-300", name: "Verniz Automotivo Spray 300 ml", category: 1, brand: 1,
        price: 3_690, promotional: 3_290, stock: 18, weight: 340, size: (20, 7, 7),
        short: "Acabamento brilhante e proteção UV sobre o retoque.", icon: Icon::Spray, colour: [210, 160, 60] },
    ProductSeed { sku: "ACS-TAPETE-4P", name: "Jogo de Tapetes de Borracha (4 peças)", category: 2, brand: 2,
        price: 14_990, promotional: 0, stock: 12, weight: 3_200, size: (70, 50, 8),
        short: "Borda alta, não desliza, fácil de lavar.", icon: Icon::Mat, colour: [64, 66, 72] },
    ProductSeed { sku: "ACS-CAPA-BANCO", name: "Capa de Banco em Couro Sintético", category: 2, brand: 2,
        price: 38_990, promotional: 34_990, stock: 6, weight: 4_500, size: (60, 40, 20),
        short: "Jogo completo, compatível com airbag lateral.", icon: Icon::Seat, colour: [92, 60, 44] },
    ProductSeed { sku: "ACS-SUPORTE-CEL", name: "Suporte Veicular de Celular para Saída de Ar", category: 2, brand: 2,
        price: 6_990, promotional: 0, stock: 45, weight: 120, size: (12, 9, 6),
        short: "Garra ajustável para celulares de 4,7 a 6,9 polegadas.", icon: Icon::Phone, colour: [60, 130, 210] },
    ProductSeed { sku: "ACS-CAMERA-RE", name: "Câmera de Ré com Visão Noturna", category: 3, brand: 3,
        price: 18_990, promotional: 0, stock: 9, weight: 300, size: (10, 10, 6),
        short: "Linhas de distância, à prova d'água (IP68).", icon: Icon::Camera, colour: [40, 80, 140] },
    ProductSeed { sku: "ACS-CARREG-USBC", name: "Carregador Veicular USB-C 30 W", category: 3, brand: 3,
        price: 8_990, promotional: 7_990, stock: 50, weight: 60, size: (8, 4, 4),
        short: "Carga rápida PD para celular e tablet.", icon: Icon::Charger, colour: [40, 160, 230] },
    ProductSeed { sku: "ACS-TRIANGULO", name: "Triângulo de Segurança Refletivo", category: 4, brand: 2,
        price: 4_590, promotional: 0, stock: 30, weight: 900, size: (45, 45, 5),
        short: "Homologado pelo Contran, com estojo.", icon: Icon::Triangle, colour: [214, 40, 36] },
];

/// The shop's customer, who can sign in with `client/clientlogin`.
pub(super) const CUSTOMER_EMAIL: &str = "fernanda.rocha@example.com";

/// What the shop side needs to know.
pub(super) struct Ctx<'a> {
    /// The demo account's store.
    pub scope: ShopScope,
    /// The moment the demo is created.
    pub now: DateTime<Utc>,
    /// Each product's stored image path (`media/<key>`), in [`PRODUCTS`] order.
    pub images: &'a [String],
    /// The customer's password (stored hashed).
    pub customer_password: &'a str,
}

/// Writes the shop side.
pub(super) async fn seed(tx: &mut Tx, ctx: &Ctx<'_>) -> anyhow::Result<()> {
    let scope = ctx.scope;
    let mut brands = Vec::with_capacity(BRANDS.len());
    for name in BRANDS {
        let fields = BrandFields {
            name: name.to_owned(),
            url: vitrine_core::catalog::slug(name),
            status: true,
            view_menu: true,
            ..BrandFields::default()
        };
        brands.push(tx.brands().insert(scope, &fields).await?.id);
    }
    let mut categories = Vec::with_capacity(CATEGORIES.len());
    for (sort, (name, _)) in CATEGORIES.iter().enumerate() {
        let fields = CategoryFields {
            name: (*name).to_owned(),
            sort: sort as i64 + 1,
            view_menu: true,
            hot_page: 1,
            status: true,
            ..CategoryFields::default()
        };
        let url = vitrine_core::catalog::slug(name);
        categories.push(
            tx.categories()
                .insert_category(scope, &url, &fields)
                .await?
                .id,
        );
    }
    for (i, p) in PRODUCTS.iter().enumerate() {
        let fields = ProductFields {
            name: p.name.to_owned(),
            url: vitrine_core::catalog::slug(p.name),
            short_description: p.short.to_owned(),
            description: format!("<p>{}</p>", p.short),
            price: p.price,
            promotional_price: p.promotional,
            stock: p.stock,
            weight: p.weight,
            height: p.size.0,
            length: p.size.1,
            width: p.size.2,
            deadline: 1,
            unit_measurement: "un".to_owned(),
            warranty: "3 meses".to_owned(),
            brand_id: Some(brands[p.brand]),
            meta_title: p.name.to_owned(),
            meta_description: p.short.to_owned(),
            sort: i as i64 + 1,
            status: true,
            ..ProductFields::default()
        };
        let product = tx
            .products()
            .insert(scope, p.sku, ProductType::Simple, &fields)
            .await?;
        tx.categories()
            .link(
                scope,
                product.id,
                CategoryRef::Category(categories[p.category]),
            )
            .await?;
        let path = &ctx.images[i];
        let image = NewImage {
            label: p.name.to_owned(),
            image: path.clone(),
            file_name: path.rsplit('/').next().unwrap_or(path).to_owned(),
            main: true,
            hover: false,
            sort: 0,
            status: true,
        };
        tx.images().insert(scope, product.id, &image).await?;
    }

    let customer = CustomerFields {
        customer_type: 1,
        name: "Fernanda Rocha Lima".to_owned(),
        cpf: "526.018.159-06".to_owned(),
        gender: "F".to_owned(),
        birth_date: "1991-07-14".to_owned(),
        cellphone: "(19) 99732-1845".to_owned(),
        email: CUSTOMER_EMAIL.to_owned(),
        cep: "13024-470".to_owned(),
        street: "Rua Maria Monteiro".to_owned(),
        number: "742".to_owned(),
        address_details: "Apto 51".to_owned(),
        neighborhood: "Cambuí".to_owned(),
        city: "Campinas".to_owned(),
        state: "SP".to_owned(),
        country: "Brasil".to_owned(),
        status: true,
        ..CustomerFields::default()
    };
    let hash = hash_password(ctx.customer_password)
        .map_err(|e| anyhow::anyhow!("cannot hash the demo customer's password: {e}"))?;
    let customer_id = tx.customers().insert(scope, &customer, &hash).await?;

    let order = |date: DateTime<Utc>, payment_method: i64, payment_mode: i64| OrderFields {
        customer_id,
        date,
        status: Status::AWAITING_PAYMENT.code(),
        payment_method,
        payment_mode,
        shipping: 2_490,
        estimated_delivery: "7 dias úteis".to_owned(),
        delivery_type_code: "3".to_owned(),
        delivery_name: Some("Correios - PAC".to_owned()),
        currency: "BRL".to_owned(),
        currency_symbol: "R$".to_owned(),
        cep: customer.cep.clone(),
        street: customer.street.clone(),
        number: customer.number.clone(),
        address_details: customer.address_details.clone(),
        neighborhood: customer.neighborhood.clone(),
        city: customer.city.clone(),
        state: customer.state.clone(),
        country: customer.country.clone(),
        channel: "app".to_owned(),
        ..OrderFields::default()
    };
    // Paid by Pix (102, "Pix - Banco Central") three days ago.
    let paid = buy(
        tx,
        ctx,
        order(ctx.now - Duration::days(3), 102, 0),
        &[
            ("ACS-CERA-300", 2),
            ("ACS-SHAMPOO-15", 1),
            ("ACS-TAPETE-4P", 1),
        ],
    )
    .await?;
    change_status(tx, scope, paid, Status::PAYMENT_CONFIRMED, Restock::Yes)
        .await
        .map_err(|e| anyhow::anyhow!("the demo order could not be paid: {e:?}"))?;
    // Awaiting a boleto (2), placed two hours ago.
    buy(
        tx,
        ctx,
        order(ctx.now - Duration::hours(2), 2, 2),
        &[("ACS-CAMERA-RE", 1), ("ACS-SUPORTE-CEL", 1)],
    )
    .await?;
    Ok(())
}

/// Places an order for `lines` (SKU, quantity) as checkout does; its id.
async fn buy(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    fields: OrderFields,
    lines: &[(&str, i64)],
) -> anyhow::Result<OrderId> {
    let lines: Vec<Line> = lines
        .iter()
        .map(|(sku, quantity)| Line {
            sku: (*sku).to_owned(),
            quantity: *quantity,
        })
        .collect();
    let placed = place(tx, ctx.scope, fields, &lines)
        .await
        .map_err(|e| anyhow::anyhow!("the demo order could not be placed: {e:?}"))?;
    Ok(placed.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrine_core::doc::{Cpf, Strictness};

    #[test]
    fn skus_are_unique_and_products_sit_in_their_category() {
        let mut skus: Vec<&str> = PRODUCTS.iter().map(|p| p.sku).collect();
        skus.sort_unstable();
        skus.dedup();
        assert_eq!(skus.len(), PRODUCTS.len());
        for p in &PRODUCTS {
            let (category, _) = CATEGORIES[p.category];
            // Paint and touch-up products only in the paint category (no
            // headphones among the paints).
            let paint = matches!(p.icon, Icon::Pen | Icon::Spray);
            assert_eq!(paint, category == "Tintas e Retoques", "{}", p.name);
            assert!(p.brand < BRANDS.len());
            assert!(p.promotional == 0 || p.promotional < p.price, "{}", p.name);
        }
        for c in 0..CATEGORIES.len() {
            assert!(
                PRODUCTS.iter().any(|p| p.category == c),
                "category {c} is empty"
            );
        }
        assert!(Cpf::parse("526.018.159-06", Strictness::Strict).is_ok());
    }
}
