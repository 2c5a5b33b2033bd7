//! List order across pages (issue 16.4): a sort by a nullable column puts
//! the rows without a value last in both directions, ties broken by id in
//! the sort's direction, and every page continues exactly where the last
//! one stopped — also the pages that hold the last values and the first
//! NULLs, and those past every value. (The store reads such a sort as two
//! ranges of one index, values then NULLs.)

use std::cmp::Ordering;

use vitrine_testkit::{both_backends, json, Method, TestApp, Value};

use crate::fixtures::create;

/// Every page of `path` (which has a query) with `limit`, joined, and the
/// total each page reported.
async fn walk(app: &TestApp, key: &str, path: &str, limit: usize) -> (Vec<String>, Vec<u64>) {
    let (mut ids, mut totals) = (Vec::new(), Vec::new());
    for page in 1.. {
        let url = format!("{path}&limit={limit}&page={page}");
        let r = app.auto(key, Method::GET, &url, None).await;
        assert_eq!(r.status, 200, "{url}: {}", r.text);
        totals.push(r.body["pagination"]["total"].as_u64().expect("total"));
        let data = r.body["data"].as_array().expect("data").clone();
        let got: Vec<String> = data
            .iter()
            .map(|x| x["id"].as_str().expect("id").to_owned())
            .collect();
        assert!(got.len() <= limit, "{url}");
        let last = got.len() < limit;
        ids.extend(got);
        if last {
            break;
        }
    }
    (ids, totals)
}

/// The documented order of `(id, value)` rows: by value in the direction,
/// NULLs last, ties by id in the direction.
fn expected(rows: &[(String, Option<i64>)], descending: bool) -> Vec<String> {
    let mut rows = rows.to_vec();
    rows.sort_by(|(ia, a), (ib, b)| {
        let by_value = match (a, b) {
            (Some(_), None) => return Ordering::Less,
            (None, Some(_)) => return Ordering::Greater,
            (a, b) => a.cmp(b),
        };
        let ordered = by_value.then_with(|| ia.cmp(ib));
        if descending {
            ordered.reverse()
        } else {
            ordered
        }
    });
    rows.into_iter().map(|(id, _)| id).collect()
}

async fn check(app: &TestApp, key: &str, list: &str, sort: &str, rows: &[(String, Option<i64>)]) {
    for descending in [false, true] {
        let sort = if descending {
            format!("-{sort}")
        } else {
            sort.to_owned()
        };
        let want = expected(rows, descending);
        for limit in [2, 3, 100] {
            let (got, totals) = walk(app, key, &format!("{list}?sort={sort}"), limit).await;
            assert_eq!(got, want, "{list} sort={sort} limit={limit}");
            assert!(
                totals.iter().all(|t| *t == rows.len() as u64),
                "{list} sort={sort} limit={limit}: {totals:?}"
            );
        }
    }
}

async fn nullable_sorts_keep_nulls_last_across_pages(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    // Ties (5000 twice), NULLs between values in creation order.
    let mileages = [
        Some(5_000),
        None,
        Some(1_000),
        Some(5_000),
        None,
        Some(3_000),
        None,
    ];
    let mut vehicles = Vec::new();
    for (i, mileage) in mileages.iter().enumerate() {
        let mut body = json!({"title": format!("Carro {i}"), "store_id": t.store_id});
        if let Some(m) = mileage {
            body["mileage"] = json!(m);
            // Price NULL where mileage is set, and the other way round.
        } else {
            body["price"] = json!(20_000 + (i % 2) as i64 * 1_000);
        }
        let id = create(&app, key, "/api/v1/vehicles", &body).await;
        vehicles.push((id, *mileage, body["price"].as_i64()));
    }
    let by_mileage: Vec<(String, Option<i64>)> =
        vehicles.iter().map(|(id, m, _)| (id.clone(), *m)).collect();
    check(&app, key, "/api/v1/vehicles", "mileage", &by_mileage).await;
    let by_price: Vec<(String, Option<i64>)> =
        vehicles.iter().map(|(id, _, p)| (id.clone(), *p)).collect();
    check(&app, key, "/api/v1/vehicles", "price", &by_price).await;

    // Activities: the default sort (due_date ascending) is nullable too.
    let dues = [
        Some("2026-05-02T10:00:00Z"),
        None,
        Some("2026-05-01T10:00:00Z"),
        None,
        Some("2026-05-02T10:00:00Z"),
    ];
    let mut activities = Vec::new();
    for (i, due) in dues.iter().enumerate() {
        let mut body = json!({"title": format!("Ligar {i}")});
        if let Some(d) = due {
            body["due_date"] = Value::from(*d);
        }
        let id = create(&app, key, "/api/v1/activities", &body).await;
        // RFC 3339 instants of one format order as their text.
        let rank = due.map(|d| {
            d.replace(['-', ':', 'T', 'Z'], "")
                .parse::<i64>()
                .expect("due")
        });
        activities.push((id, rank));
    }
    let want = expected(&activities, false);
    for limit in [2, 3] {
        let (got, _) = walk(&app, key, "/api/v1/activities?status=pending", limit).await;
        assert_eq!(got, want, "activities default sort, limit {limit}");
    }
    check(&app, key, "/api/v1/activities", "due_date", &activities).await;
}

both_backends!(nullable_sorts_keep_nulls_last_across_pages);
