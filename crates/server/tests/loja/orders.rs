//! E63 checkout, E29 `order/findbyid`, E30 `order/findbyfilter`, E31
//! `order/changestatus` with the stock retention of E23, and the
//! `order/insert` extension.

use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Method, Tenant, TestApp};

use crate::fixtures::product;
use crate::shoppers::{add, checkout_body, jwt_get, jwt_post, login, PASS};
use crate::{data, error_body, expect, text, DONE};

/// The doc's checkout customer (L4469–4589 address).
pub async fn customer_735(app: &TestApp, t: &Tenant) -> String {
    let r = app
        .loja_form(
            &t.loja_token,
            "/client/register",
            &[
                ("name", "Cliente teste"),
                ("email", "cliente@teste.com.br"),
                ("pass", PASS),
                ("company_name", "Empresa teste"),
                ("cpf", "999.999.999-99"),
                ("gender", "gender teste"),
                ("birth_date", "9999-99-99"),
                ("cep", "39400-170"),
                ("street", "Rua João Paculdino"),
                ("number", "132"),
                ("neighborhood", "Edgar Pereira"),
                ("city", "Montes Claros"),
                ("state", "MG"),
                ("country", "Brasil"),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    login(app, t, "cliente@teste.com.br").await.1
}

pub fn masked(mut v: Value, pointer: &str) -> String {
    if let Some(slot) = v.pointer_mut(pointer) {
        assert_eq!(slot.as_str().map(str::len), Some(19), "a datetime");
        *slot = Value::from("-");
    }
    serde_json::to_string(&v).expect("json")
}

async fn checkout_replays_the_doc(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "000260", 130_937, 0, 5).await;
    let jwt = customer_735(&app, &t).await;
    let hash = add(&app, &jwt, "000260", 1).await;
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        masked(r.body.clone(), "/data/order/date"),
        r#"{"success":true,"errors":[],"data":{"message":"Pedido finalizado com sucesso!","order":{"id":"1","customer_id":"1","date":"-","value":"1309.37","status":"1","payment_method":"3","payment_mode":"0","discount":"0.00","installments":"0","cep":"39400-170","street":"Rua João Paculdino","number":"132","address_details":"","neighborhood":"Edgar Pereira","city":"Montes Claros","state":"MG","country":"Brasil","note":"Pedido feito pelo Aplicativo","delivery_note":"","shipping":"0.00","estimated_delivery":"e","estimated delivery":"e","tracking_code":"","tracking_link":"","delivery_type":"3","delivery_code":"8"}}}"#
    );
    // The cart is closed: a second checkout or read finds nothing.
    let again = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    expect(&again, 401, &error_body("Cart not found"));
    let r = jwt_get(&app, &jwt, &format!("/cart/findcartbyhash?hash={hash}")).await;
    expect(&r, 401, &error_body("Cart not found"));
    let (r, _) = login(&app, &t, "cliente@teste.com.br").await;
    assert_eq!(r.body["data"]["hash_cart"], json!(""));
    // One unit moved from available to retained.
    let r = app
        .loja_get(tok, "/product/findbysku?sku=000260&min=1")
        .await;
    assert_eq!(data(&r)["stock"], json!(4));
    let r = app.loja_get(tok, "/product/retainedstock").await;
    assert_eq!(
        masked(data(&r)[0].clone(), "/data"),
        r#"{"sku":"000260","sku_variety":"0","sku_grid":"0","stock":"1","type":"1","data":"-"}"#
    );
    // E29 on the new order (L2263–2333 shape).
    let r = app.loja_get(tok, "/order/findbyid?id=1").await;
    assert_eq!(
        masked(r.body.clone(), "/data/date"),
        r#"{"success":true,"errors":[],"data":{"value":"1309.37","status":"1","payment_method":"3","payment_mode":"0","discount":"0.00","date":"-","shipping":"0.00","estimated_delivery":"e","tracking_code":"","tracking_link":"","note":"Pedido feito pelo Aplicativo","delivery_note":"","delivery_type":"Correios - PAC","installments":"0","value_installments":"0.00","currency":"BRL","currency_symbol":"R$","order_address":{"cep":"39400-170","street":"Rua João Paculdino","number":"132","address_details":"","neighborhood":"Edgar Pereira","city":"Montes Claros","state":"MG","country":"Brasil"},"customer":{"name":"Cliente teste","type":"1","company_name":"Empresa teste","cpf":"999.999.999-99","rg":"","cnpj":"","gender":"gender teste","birth_date":"9999-99-99","establish_date":null,"cellphone":"","telephone":"","email":"cliente@teste.com.br","cep":"39400-170","street":"Rua João Paculdino","number":"132","address_details":"","neighborhood":"Edgar Pereira","city":"Montes Claros","state":"MG","country":"Brasil","note":"","status":"1"},"products":[{"product_name":"Produto 000260","sku":"000260","price":"1309.37","promotional_price":"0.00","stock":"4","weight":"0.000","height":"0","length":"0","width":"0","type":"1","quantity":"1","multiple":"0","multiple_price":"0.00"}],"error":[]}}"#
    );
    let r = app.loja_get(tok, "/order/findbyid?id=99").await;
    expect(&r, 404, &error_body("Order not found[99]"));
}

async fn checkout_refusals_change_nothing(app: TestApp) {
    let t = app.tenant().await;
    product(&app, &t, "FONE", 15_023, 0, 2).await;
    let jwt = customer_735(&app, &t).await;
    let hash = add(&app, &jwt, "FONE", 3).await;
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    expect(&r, 400, &error_body("Insufficient stock for SKU FONE"));
    let mut no_ip = checkout_body(&hash);
    no_ip["ip_cliente"] = json!("");
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", no_ip).await;
    expect(&r, 400, &error_body("Invalid ip_cliente"));
    // The cart is still open and whole, the stock untouched, no order.
    let r = jwt_get(&app, &jwt, &format!("/cart/findcartbyhash?hash={hash}")).await;
    assert_eq!(data(&r)["products"][0]["quantity"], json!("3"));
    let r = app
        .loja_get(&t.loja_token, "/product/findbysku?sku=FONE&min=1")
        .await;
    assert_eq!(data(&r)["stock"], json!(2));
    let r = app.loja_get(&t.loja_token, "/order/findbyfilter").await;
    expect(&r, 404, &error_body("Orders not found"));
    let r = app.loja_get(&t.loja_token, "/product/retainedstock").await;
    expect(&r, 200, r#"{"success":true,"errors":[],"data":[]}"#);
}

/// `order/insert` of `items` (sku, quantity) for customer 1; returns the id.
pub async fn insert(
    app: &TestApp,
    token: &str,
    extra: &[(&str, &str)],
    items: &[(&str, &str)],
) -> String {
    let mut form: Vec<(String, String)> = vec![("customer_id".into(), "1".into())];
    for (i, (sku, q)) in items.iter().enumerate() {
        form.push((format!("items[{i}][sku]"), (*sku).to_owned()));
        form.push((format!("items[{i}][quantity]"), (*q).to_owned()));
    }
    form.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.loja_form(token, "/order/insert", &pairs).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["data"]["id"].as_str().expect("id").to_owned()
}

async fn value_is_items_plus_shipping_minus_discount(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "000260", 12_000, 0, 5).await;
    customer_735(&app, &t).await;
    let id = insert(
        &app,
        tok,
        &[
            ("shipping", "51.11"),
            ("discount", "20.00"),
            ("payment_method", "102"),
            ("payment_mode", "2"),
            ("delivery_type", "Correios - PAC"),
            ("estimated_delivery", "5 dia(s)"),
            ("installments", "3"),
        ],
        &[("000260", "1")],
    )
    .await;
    let r = app.loja_get(tok, &format!("/order/findbyid?id={id}")).await;
    let d = data(&r);
    for (key, want) in [
        ("value", "151.11"),
        ("payment_method", "102"),
        ("payment_mode", "2"),
        ("discount", "20.00"),
        ("shipping", "51.11"),
        ("estimated_delivery", "5 dia(s)"),
        ("delivery_type", "Correios - PAC"),
        ("installments", "3"),
        ("value_installments", "50.37"),
    ] {
        assert_eq!(d[key], json!(want), "{key}");
    }
    // A paid order from another channel sells its units at once.
    insert(&app, tok, &[("status", "3")], &[("000260", "2")]).await;
    let r = app.loja_get(tok, "/product/retainedstock").await;
    assert_eq!(data(&r).as_array().map(Vec::len), Some(1));
    let r = app
        .loja_get(tok, "/product/findbysku?sku=000260&min=1")
        .await;
    assert_eq!(data(&r)["stock"], json!(2));
    // Refusals of the extension.
    for (reason, form, status, message) in [
        ("no items", vec![("customer_id", "1")], 400, "Invalid items"),
        (
            "unknown customer",
            vec![("customer_id", "9"), ("items[0][sku]", "000260")],
            404,
            "Customer not found",
        ),
        (
            "unknown sku",
            vec![("customer_id", "1"), ("items[0][sku]", "NOPE")],
            404,
            "Product not found",
        ),
        (
            "cancelled status",
            vec![
                ("customer_id", "1"),
                ("items[0][sku]", "000260"),
                ("status", "8"),
            ],
            400,
            "Invalid status",
        ),
        (
            "too many",
            vec![
                ("customer_id", "1"),
                ("items[0][sku]", "000260"),
                ("items[0][quantity]", "3"),
            ],
            400,
            "Insufficient stock for SKU 000260",
        ),
    ] {
        let r = app.loja_form(tok, "/order/insert", &form).await;
        assert_eq!(
            (r.status, text(&r)),
            (status, error_body(message)),
            "{reason}"
        );
    }
    let r = app
        .loja_get(tok, "/product/findbysku?sku=000260&min=1")
        .await;
    assert_eq!(data(&r)["stock"], json!(2));
}

async fn filters_select_orders(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "A", 1_000, 0, 1_000).await;
    customer_735(&app, &t).await;
    for i in 0..52 {
        let method = if i % 2 == 0 { "3" } else { "102" };
        insert(&app, tok, &[("payment_method", method)], &[("A", "1")]).await;
    }
    let change = app
        .loja_form(
            tok,
            "/order/changestatus",
            &[("id", "2"), ("new_status", "3")],
        )
        .await;
    expect(&change, 200, DONE);
    // No filter: the last 50, ascending, each with "id" last.
    let r = app.loja_get(tok, "/order/findbyfilter").await;
    let all = data(&r).as_array().cloned().unwrap_or_default();
    assert_eq!(all.len(), 50);
    assert_eq!(all[0]["id"], json!("3"));
    assert_eq!(all[49]["id"], json!("52"));
    let keys: Vec<&str> = all[0]
        .as_object()
        .expect("obj")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys.iter().rev().take(2).collect::<Vec<_>>(),
        [&"id", &"error"]
    );
    let ids = |r: &vitrine_testkit::Reply| -> Vec<String> {
        data(r)
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|o| o["id"].as_str().map(str::to_owned))
            .collect()
    };
    let r = app.loja_get(tok, "/order/findbyfilter?status=3").await;
    assert_eq!(ids(&r), ["2"]);
    let r = app
        .loja_get(tok, "/order/findbyfilter?status=3&payment_method=3")
        .await;
    expect(&r, 404, &error_body("Orders not found"));
    let r = app
        .loja_get(tok, "/order/findbyfilter?payment_method=102")
        .await;
    assert_eq!(ids(&r).len(), 26);
    let today = chrono::Utc::now() - chrono::Duration::hours(3);
    let today = today.format("%Y-%m-%d").to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(21))
        .format("%Y-%m-%d")
        .to_string();
    let r = app
        .loja_get(
            tok,
            &format!("/order/findbyfilter?date_start={today}&date_end={today}"),
        )
        .await;
    assert_eq!(ids(&r).len(), 52, "all of today's, no 50 cap with a filter");
    let r = app
        .loja_get(tok, &format!("/order/findbyfilter?date_start={tomorrow}"))
        .await;
    expect(&r, 404, &error_body("Orders not found"));
    let r = app
        .loja_get(tok, "/order/findbyfilter?date_end=2000-01-01")
        .await;
    expect(&r, 404, &error_body("Orders not found"));
}

async fn orders_are_tenant_scoped(app: TestApp) {
    let t = app.tenant().await;
    product(&app, &t, "A", 1_000, 0, 10).await;
    customer_735(&app, &t).await;
    let id = insert(&app, &t.loja_token, &[], &[("A", "1")]).await;
    let other = app.tenant().await;
    let r = app
        .loja_get(&other.loja_token, &format!("/order/findbyid?id={id}"))
        .await;
    expect(&r, 404, &error_body(&format!("Order not found[{id}]")));
    let r = app.loja_get(&other.loja_token, "/order/findbyfilter").await;
    expect(&r, 404, &error_body("Orders not found"));
    let r = app
        .loja_form(
            &other.loja_token,
            "/order/changestatus",
            &[("id", &id), ("new_status", "8")],
        )
        .await;
    expect(&r, 404, &error_body("Order not Found!"));
    let r = app
        .loja_form(
            &other.loja_token,
            "/order/insert",
            &[("customer_id", "1"), ("items[0][sku]", "A")],
        )
        .await;
    expect(&r, 404, &error_body("Customer not found"));
    let r = app
        .loja_get(&other.loja_token, "/product/retainedstock")
        .await;
    expect(&r, 200, r#"{"success":true,"errors":[],"data":[]}"#);
    // Nothing changed for the owner.
    let r = app
        .loja_get(&t.loja_token, &format!("/order/findbyid?id={id}"))
        .await;
    assert_eq!(data(&r)["status"], json!("1"));
    let r = app.loja_get(&t.loja_token, "/product/retainedstock").await;
    assert_eq!(data(&r).as_array().map(Vec::len), Some(1));
    let r = app
        .call(
            Method::POST,
            "/order/findbyid",
            Some(&format!("Basic {}", t.loja_token)),
            None,
        )
        .await;
    expect(&r, 400, &error_body("Invalid request - Needed: GET"));
}

async fn sale(app: &TestApp, tok: &str, name: &str, value: &str, status: &str, end: &str) {
    let r = app
        .loja_form(
            tok,
            "/category/insertsale",
            &[
                ("name", name),
                ("aplication", "2"),
                ("sale_type", "1"),
                ("sale_value", value),
                ("start_date", "2020-01-01 00:00:00"),
                ("end_date", end),
                ("status", status),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

async fn live_sales_discount_checkout(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "A", 10_000, 0, 10).await;
    sale(
        &app,
        tok,
        "Dez por cento",
        "10.00",
        "1",
        "2999-12-31 23:59:59",
    )
    .await;
    sale(&app, tok, "Inativa", "50.00", "0", "2999-12-31 23:59:59").await;
    sale(&app, tok, "Vencida", "50.00", "1", "2021-01-01 00:00:00").await;
    let jwt = customer_735(&app, &t).await;
    let hash = add(&app, &jwt, "A", 2).await;
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let order = &r.body["data"]["order"];
    assert_eq!(
        (order["discount"].clone(), order["value"].clone()),
        (json!("20.00"), json!("180"))
    );
}

both_backends!(
    checkout_replays_the_doc,
    checkout_refusals_change_nothing,
    value_is_items_plus_shipping_minus_discount,
    filters_select_orders,
    orders_are_tenant_scoped,
    live_sales_discount_checkout,
);
