//! Loja › Pedidos over HTTP: orders placed through the Loja API show in
//! the panel with their filters and details; a status change made in the
//! panel is the Loja API's (same state machine, same stock retention), an
//! illegal one shows the core's message and changes nothing; other
//! accounts' orders are 404 pages; every change needs the session's token.

use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Tenant, TestApp};

use crate::browserless::Visitor;

both_backends!(
    orders_are_listed_filtered_and_shown,
    status_changes_go_through_the_loja_rules,
    other_accounts_orders_are_not_found,
    date_filters_cut_the_accounts_local_day,
);

/// A Loja form call that must answer `status`; its body.
async fn loja(app: &TestApp, t: &Tenant, path: &str, form: &[(&str, &str)], status: u16) -> Value {
    let r = app.loja_form(&t.loja_token, path, form).await;
    assert_eq!(r.status, status, "{path}: {}", r.text);
    r.body
}

/// A customer registered through `client/register`.
async fn customer(app: &TestApp, t: &Tenant, name: &str, email: &str) {
    loja(
        app,
        t,
        "/client/register",
        &[
            ("name", name),
            ("email", email),
            ("pass", "senha-do-cliente"),
            ("cpf", "999.999.999-99"),
            ("cep", "39400-170"),
            ("street", "Rua João Paculdino"),
            ("number", "132"),
            ("neighborhood", "Edgar Pereira"),
            ("city", "Montes Claros"),
            ("state", "MG"),
            ("country", "Brasil"),
        ],
        201,
    )
    .await;
}

/// `order/insert` for `customer_id` of `items` (sku, quantity); its id.
async fn order(
    app: &TestApp,
    t: &Tenant,
    customer_id: &str,
    items: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> String {
    let mut form: Vec<(String, String)> = vec![("customer_id".into(), customer_id.into())];
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
    let body = loja(app, t, "/order/insert", &pairs, 201).await;
    body["data"]["id"].as_str().expect("id").to_owned()
}

/// A simple product made through `product/insert`.
async fn product(app: &TestApp, t: &Tenant, sku: &str, name: &str, price: &str, stock: &str) {
    loja(
        app,
        t,
        "/product/insert",
        &[
            ("name", name),
            ("sku", sku),
            ("type", "1"),
            ("price", price),
            ("stock", stock),
            ("status", "1"),
        ],
        201,
    )
    .await;
}

/// Two customers, two products, three orders: #1 Ana (2 × TL-1 + frete
/// 15,00), #2 Bruno (1 × PIN), #3 Ana (1 × PIN, paid on arrival).
async fn seed_orders(app: &TestApp, t: &Tenant) {
    product(app, t, "TL-1", "Tinta Látex Branca", "1234.56", "10").await;
    product(app, t, "PIN", "Pincel Atlas", "12", "40").await;
    customer(app, t, "Ana Pereira", "ana@cliente.com.br").await;
    customer(app, t, "Bruno Lima", "bruno@cliente.com.br").await;
    order(
        app,
        t,
        "1",
        &[("TL-1", "2")],
        &[("shipping", "15.00"), ("payment_method", "102")],
    )
    .await;
    order(app, t, "2", &[("PIN", "1")], &[]).await;
    order(app, t, "1", &[("PIN", "1")], &[("status", "3")]).await;
}

/// The order's status and the stock of `sku`, as the Loja API reads them.
async fn api_state(app: &TestApp, t: &Tenant, id: &str, sku: &str) -> (Value, Value) {
    let o = app
        .loja_get(&t.loja_token, &format!("/order/findbyid?id={id}"))
        .await;
    assert_eq!(o.status, 200, "{}", o.text);
    let p = app
        .loja_get(
            &t.loja_token,
            &format!("/product/findbysku?sku={sku}&min=1"),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.text);
    (
        o.body["data"]["status"].clone(),
        p.body["data"]["stock"].clone(),
    )
}

/// The rows of the orders table, as the ids they link.
fn listed(body: &str) -> Vec<String> {
    body.split("<tr id=\"pedido-")
        .skip(1)
        .map(|rest| rest[..rest.find('"').expect("quote")].to_owned())
        .collect()
}

async fn orders_are_listed_filtered_and_shown(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let base = format!("/painel/lojas/{}/pedidos", t.store_id);
    let nav = v.get("/painel/pedidos").await;
    assert_eq!((nav.status, nav.location()), (303, base.as_str()));
    let empty = v.get(&base).await;
    empty.assert_html(200);
    assert!(empty.body.contains("Nenhum pedido encontrado"));

    seed_orders(&app, &t).await;
    let list = v.get(&base).await;
    list.assert_html(200);
    assert_eq!(listed(&list.body), ["3", "2", "1"], "newest first");
    for text in [
        "Ana Pereira",
        "Bruno Lima",
        "R$ 2.484,12",
        "Aguardando Pagamento",
        "Pagamento Confirmado",
    ] {
        assert!(list.body.contains(text), "{text} missing");
    }

    // Filters: status, customer (name or e-mail, any case), dates (the
    // account's local days; São Paulo by default).
    let paid = v.get(&format!("{base}?status=3")).await;
    assert_eq!(listed(&paid.body), ["3"]);
    let bruno = v.get(&format!("{base}?cliente=BRUNO")).await;
    assert_eq!(listed(&bruno.body), ["2"]);
    let ana = v
        .get(&format!("{base}?cliente=ana%40cliente&status=1"))
        .await;
    assert_eq!(listed(&ana.body), ["1"]);
    let today = vitrine_core::time_zone::TimeZone::default().day_of(chrono::Utc::now());
    let tomorrow = today.succ_opt().expect("a tomorrow");
    let all = v.get(&format!("{base}?de={today}&ate={today}")).await;
    assert_eq!(listed(&all.body), ["3", "2", "1"]);
    let later = v.get(&format!("{base}?de={tomorrow}")).await;
    assert!(listed(&later.body).is_empty());
    assert!(later.body.contains("Nenhum pedido encontrado"));
    let earlier = v
        .get(&format!(
            "{base}?ate={}",
            today.pred_opt().expect("a yesterday")
        ))
        .await;
    assert!(listed(&earlier.body).is_empty());
    // Nonsense filters are ignored, not an error page.
    let odd = v.get(&format!("{base}?status=99&de=ontem")).await;
    odd.assert_html(200);
    assert_eq!(listed(&odd.body).len(), 3);

    // The order page: items, totals, customer, address, payment.
    let detail = v.get(&format!("{base}/1")).await;
    detail.assert_html(200);
    for text in [
        "Pedido #1",
        "Tinta Látex Branca",
        "TL-1",
        "R$ 1.234,56",
        "R$ 2.469,12",
        "R$ 15,00",
        "R$ 2.484,12",
        "Ana Pereira",
        "ana@cliente.com.br",
        "Rua João Paculdino",
        "Montes Claros",
        "Pix - Banco Central",
        "Aguardando Pagamento",
    ] {
        assert!(
            detail.body.contains(text),
            "{text} missing:\n{}",
            detail.body
        );
    }
}

async fn status_changes_go_through_the_loja_rules(app: TestApp) {
    let t = app.tenant().await;
    seed_orders(&app, &t).await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let base = format!("/painel/lojas/{}/pedidos", t.store_id);
    let page = v.get(&format!("{base}/1")).await;
    let csrf = page.csrf();
    // Order 1 holds 2 of the 10 units of TL-1.
    assert_eq!(
        api_state(&app, &t, "1", "TL-1").await,
        (json!("1"), json!(8))
    );

    // Paid in the panel: the API sees the status, the retention is consumed.
    let done = v
        .post(
            &format!("{base}/1/status"),
            &[("csrf", &csrf), ("status", "3")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), format!("{base}/1"));
    assert_eq!(
        api_state(&app, &t, "1", "TL-1").await,
        (json!("3"), json!(8))
    );
    let retained = app.loja_get(&t.loja_token, "/product/retainedstock").await;
    assert!(!retained.text.contains("TL-1"), "{}", retained.text);
    let after = v.get(done.location()).await;
    assert!(after.body.contains("data-status=\"3\""), "{}", after.body);
    assert!(after.body.contains("Status do pedido alterado."));
    // The select offers only what the state machine allows from 3.
    let select = &after.body[after.body.find("id=\"novo-status\"").expect("select")..];
    let select = &select[..select.find("</select>").expect("end")];
    for code in ["1", "2"] {
        assert!(
            !select.contains(&format!("value=\"{code}\"")),
            "{code}: {select}"
        );
    }
    for code in ["3", "5", "8", "10"] {
        assert!(
            select.contains(&format!("value=\"{code}\"")),
            "{code}: {select}"
        );
    }

    // Back to waiting: the core's message, nothing changed.
    let refused = v
        .post(
            &format!("{base}/1/status"),
            &[("csrf", &csrf), ("status", "1")],
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused.body.contains(
            "data-field=\"status\">Não é possível mudar o status de 3 (Pagamento Confirmado) para 1 (Aguardando Pagamento): um pedido com pagamento confirmado não volta a aguardar pagamento."
        ),
        "{}",
        refused.body
    );
    assert_eq!(
        api_state(&app, &t, "1", "TL-1").await,
        (json!("3"), json!(8))
    );
    // The API refuses the same change in its own (documented) words.
    let api = app
        .loja_form(
            &t.loja_token,
            "/order/changestatus",
            &[("id", "1"), ("new_status", "1")],
        )
        .await;
    assert_eq!(api.status, 400);
    assert!(api
        .text
        .contains("Invalid status change: 3 (Pagamento Confirmado) to 1 (Aguardando Pagamento)"));

    // Cancelled in the panel: order 2's unit of PIN goes back to stock
    // (40 − 1 for order 2 − 1 sold with order 3 = 38, then 39).
    assert_eq!(
        api_state(&app, &t, "2", "PIN").await,
        (json!("1"), json!(38))
    );
    let cancel = v
        .post(
            &format!("{base}/2/status"),
            &[("csrf", &csrf), ("status", "8")],
        )
        .await;
    assert_eq!(cancel.status, 303, "{}", cancel.body);
    assert_eq!(
        api_state(&app, &t, "2", "PIN").await,
        (json!("8"), json!(39))
    );
    // A cancelled order cannot be revived.
    let revive = v
        .post(
            &format!("{base}/2/status"),
            &[("csrf", &csrf), ("status", "10")],
        )
        .await;
    revive.assert_html(422);
    assert!(revive
        .body
        .contains("Não é possível mudar o status de 8 (Cancelado) para 10 (Pedido Aprovado): um pedido cancelado ou recusado não é reaberto"));
    assert_eq!(
        api_state(&app, &t, "2", "PIN").await,
        (json!("8"), json!(39))
    );

    // A status out of range is refused on the page.
    let bad = v
        .post(
            &format!("{base}/1/status"),
            &[("csrf", &csrf), ("status", "11")],
        )
        .await;
    bad.assert_html(422);
    assert!(bad.body.contains("Status inválido"));
    // No such order.
    v.post(
        &format!("{base}/99/status"),
        &[("csrf", &csrf), ("status", "3")],
    )
    .await
    .assert_html(404);

    // Without the session's token (or with a wrong one): refused, unchanged.
    v.post(&format!("{base}/1/status"), &[("status", "8")])
        .await
        .assert_html(403);
    v.post(
        &format!("{base}/1/status"),
        &[("csrf", "errado"), ("status", "8")],
    )
    .await
    .assert_html(403);
    assert_eq!(
        api_state(&app, &t, "1", "TL-1").await,
        (json!("3"), json!(8))
    );
}

async fn other_accounts_orders_are_not_found(app: TestApp) {
    let mine = app.tenant().await;
    let theirs = app.tenant().await;
    seed_orders(&app, &theirs).await;
    let v = Visitor::signed_in(&app, &mine.email, &mine.password).await;
    let csrf = v.session_csrf().await;
    for path in [
        format!("/painel/lojas/{}/pedidos", theirs.store_id),
        format!("/painel/lojas/{}/pedidos/1", theirs.store_id),
        // Their order's number under my store: my store has no order 1.
        format!("/painel/lojas/{}/pedidos/1", mine.store_id),
        format!("/painel/lojas/{}/pedidos/um", mine.store_id),
    ] {
        let page = v.get(&path).await;
        page.assert_html(404);
        assert!(page.body.contains("Página não encontrada"), "{path}");
        assert!(!page.body.contains("Ana Pereira"), "{path}");
    }
    for path in [
        format!("/painel/lojas/{}/pedidos/1/status", theirs.store_id),
        format!("/painel/lojas/{}/pedidos/1/status", mine.store_id),
    ] {
        v.post(&path, &[("csrf", &csrf), ("status", "8")])
            .await
            .assert_html(404);
    }
    // Their order is as it was: waiting, its units still held.
    assert_eq!(
        api_state(&app, &theirs, "1", "TL-1").await,
        (json!("1"), json!(8))
    );
    let list = v
        .get(&format!("/painel/lojas/{}/pedidos", mine.store_id))
        .await;
    list.assert_html(200);
    assert!(listed(&list.body).is_empty());
}

/// The ids `order/findbyfilter` answers for `query` (none: its 404).
async fn found_by_filter(app: &TestApp, t: &Tenant, query: &str) -> Vec<String> {
    let r = app
        .loja_get(&t.loja_token, &format!("/order/findbyfilter?{query}"))
        .await;
    if r.status == 404 {
        assert!(r.text.contains("Orders not found"), "{}", r.text);
        return Vec::new();
    }
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"]
        .as_array()
        .expect("orders")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn date_filters_cut_the_accounts_local_day(app: TestApp) {
    use vitrine_core::time_zone::TimeZone;
    let t = app.tenant().await;
    seed_orders(&app, &t).await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let base = format!("/painel/lojas/{}/pedidos", t.store_id);
    let now = chrono::Utc::now();
    // UTC+14 and UTC−12 are 26 hours apart: whatever the hour, the orders
    // placed now fall on different local days in them, so a filter that
    // cut UTC days could not give both answers below.
    for name in ["Pacific/Kiritimati", "Etc/GMT+12"] {
        let saved = v
            .post(
                "/painel/configuracoes/conta",
                &[("csrf", &csrf), ("time_zone", name)],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        let zone = TimeZone::parse("tz", name).expect("zone");
        let today = zone.day_of(now);
        let yesterday = today.pred_opt().expect("a day before");
        let tomorrow = today.succ_opt().expect("a day after");
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();

        // The panel's list.
        let page = v
            .get(&format!("{base}?de={}&ate={}", day(today), day(today)))
            .await;
        assert_eq!(listed(&page.body), ["3", "2", "1"], "{name}");
        assert!(page.body.contains(name), "the zone is named");
        let page = v.get(&format!("{base}?ate={}", day(yesterday))).await;
        assert!(listed(&page.body).is_empty(), "{name}");
        let page = v.get(&format!("{base}?de={}", day(tomorrow))).await;
        assert!(listed(&page.body).is_empty(), "{name}");

        // The Loja API's order/findbyfilter, the same cut.
        assert_eq!(
            found_by_filter(
                &app,
                &t,
                &format!("date_start={}&date_end={}", day(today), day(today))
            )
            .await,
            ["1", "2", "3"],
            "{name}"
        );
        assert!(
            found_by_filter(&app, &t, &format!("date_end={}", day(yesterday)))
                .await
                .is_empty()
        );
        assert!(
            found_by_filter(&app, &t, &format!("date_start={}", day(tomorrow)))
                .await
                .is_empty()
        );
        // A full datetime is a local wall-clock time.
        let local = zone.local(now);
        let before = (local - chrono::Duration::hours(1))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        let after = (local + chrono::Duration::hours(1))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        let enc = |s: &str| s.replace(' ', "%20").replace(':', "%3A");
        let q = format!("date_start={}&date_end={}", enc(&before), enc(&after));
        assert_eq!(
            found_by_filter(&app, &t, &q).await,
            ["1", "2", "3"],
            "{name}"
        );
        let q = format!("date_start={}", enc(&after));
        assert!(found_by_filter(&app, &t, &q).await.is_empty(), "{name}");
    }
}
