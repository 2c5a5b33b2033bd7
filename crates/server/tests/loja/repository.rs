//! The catalogue repositories other Loja work builds on: product insert,
//! SKU lookups and the single SKU namespace, read straight from the store.

use vitrine_core::catalog::ProductType;
use vitrine_core::ids::ShopScope;
use vitrine_store::products::{ProductFields, SkuKind};
use vitrine_store::variations::UnitFields;
use vitrine_store::varieties::NewVariety;
use vitrine_testkit::{both_backends, TestApp};

async fn tenant_scope(app: &TestApp) -> ShopScope {
    crate::fixtures::scope(&app.tenant().await)
}

fn fields(name: &str, url: &str) -> ProductFields {
    ProductFields {
        name: name.to_owned(),
        url: url.to_owned(),
        price: 15023,
        weight: 200,
        available: true,
        ..ProductFields::default()
    }
}

async fn products_insert_find_and_share_one_sku_namespace(app: TestApp) {
    let scope = tenant_scope(&app).await;
    let other = tenant_scope(&app).await;
    let mut tx = app.store.begin().await.expect("tx");
    let first = tx
        .products()
        .insert(
            scope,
            "123123",
            ProductType::Simple,
            &fields("Tinta Látex", "tinta-latex"),
        )
        .await
        .expect("insert");
    let second = tx
        .products()
        .insert(
            scope,
            "77",
            ProductType::Variation,
            &fields("Outra", "tinta-latex"),
        )
        .await
        .expect("insert with a taken url");
    let variety = tx
        .varieties()
        .insert_variety(
            scope,
            &NewVariety {
                name: "Azul".into(),
                ..NewVariety::default()
            },
        )
        .await
        .expect("variety");
    tx.variations()
        .insert_variation(
            scope,
            second.id,
            variety.id,
            &UnitFields {
                sku: "77-1".into(),
                ..UnitFields::default()
            },
        )
        .await
        .expect("variation");
    tx.commit().await.expect("commit");
    assert_eq!((first.id.0, second.id.0), (1, 2), "small per-store ids");
    assert_eq!(
        second.fields.url, "tinta-latex-77",
        "url made unique with the sku"
    );

    let mut conn = app.store.conn().await.expect("conn");
    let found = conn
        .products()
        .find_by_sku(scope, "123123")
        .await
        .expect("find")
        .expect("found");
    assert_eq!(found.fields.price, 15023);
    assert_eq!(
        conn.products()
            .find_id_by_sku(scope, "123123")
            .await
            .expect("id")
            .map(|id| id.0),
        Some(1)
    );
    assert_eq!(
        conn.products()
            .find_id_by_sku(scope, "77-1")
            .await
            .expect("id"),
        None,
        "a variation SKU is not a product"
    );
    let owner = conn
        .products()
        .sku_owner(scope, "77-1")
        .await
        .expect("owner")
        .expect("claimed");
    assert_eq!((owner.kind, owner.product_id.0), (SkuKind::Variation, 2));
    let by_name = conn
        .products()
        .find_by_name(scope, "tinta latex")
        .await
        .expect("by name")
        .expect("accent-insensitive");
    assert_eq!(by_name.sku, "123123");
    assert_eq!(
        conn.products()
            .find_id_by_sku(other, "123123")
            .await
            .expect("other tenant"),
        None
    );
    drop(conn);

    let mut tx = app.store.begin().await.expect("tx");
    let dup = tx
        .products()
        .insert(scope, "77-1", ProductType::Simple, &fields("Dup", "dup"))
        .await;
    assert!(matches!(
        dup,
        Err(vitrine_store::Error::Conflict { what: "sku" })
    ));
}

async fn unit_images_set_by_the_image_work_show_in_lookups(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    crate::seed_options(&app, tok, &["Cor"], &[]).await;
    let r = app
        .loja_form(
            tok,
            "/product/insert",
            &[
                ("name", "P"),
                ("sku", "P1"),
                ("type", "4"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "P1-C"),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let scope = crate::fixtures::scope(&t);
    let mut tx = app.store.begin().await.expect("tx");
    tx.variations()
        .set_image(scope, "P1-C", false, "loja/uploads/cor.png")
        .await
        .expect("image set");
    assert!(matches!(
        tx.variations().set_image(scope, "P1-C", true, "x").await,
        Err(vitrine_store::Error::NotFound)
    ));
    tx.commit().await.expect("commit");
    let v = app
        .loja_get(
            tok,
            "/product/findvarietyandparentbyvariety?variety_sku=P1-C",
        )
        .await;
    assert_eq!(
        v.body["data"]["variety"]["image"],
        format!("{}/loja/uploads/cor.png", app.base_url),
        "a stored path is shown as a URL under the server's root"
    );
}

both_backends!(
    products_insert_find_and_share_one_sku_namespace,
    unit_images_set_by_the_image_work_show_in_lookups,
);
