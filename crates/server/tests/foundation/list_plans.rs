//! Every default and documented sort of every Auto API list walks an index
//! in page order (issue 16.4): neither SQLite (`USE TEMP B-TREE FOR ORDER
//! BY`) nor PostgreSQL (a `Sort` node) sorts the account's rows to serve a
//! page, in either direction, and no page scans the whole table. Checked on
//! the plans of the very statements the store runs, over an account large
//! enough (and analysed) for the planners to choose as they would in use.

use chrono::{Duration, NaiveDate, Utc};
use vitrine_core::activity::{Activity, ActivityStatus};
use vitrine_core::client::{Client, ClientStatus, ClientType, Segment};
use vitrine_core::deal::{Deal, DealStatus};
use vitrine_core::financial::{Category, FinancialRecord, FinancialStatus, RecordType};
use vitrine_core::ids::{AccountId, ActivityId, ClientId, DealId, FinancialId, StoreId, VehicleId};
use vitrine_core::money::Money;
use vitrine_core::vehicle::{Vehicle, VehicleStatus};
use vitrine_store::activities::{ActivityFilter, ActivitySort};
use vitrine_store::clients::{ClientFilter, ClientSort};
use vitrine_store::deals::{DealFilter, DealSort};
use vitrine_store::financial::{FinancialFilter, FinancialSort};
use vitrine_store::vehicles::{VehicleFilter, VehicleSort};
use vitrine_store::{Backend as StoreBackend, Plan};
use vitrine_testkit::{both_backends, TestApp};

/// Rows per list in the account under test; another account holds a
/// fifth as many, so that `account_id` alone is not the whole table.
const ROWS: usize = 1_500;

async fn tenant_ids(app: &TestApp) -> (AccountId, StoreId) {
    let t = app.tenant().await;
    (
        AccountId(t.account_id.parse().expect("account id")),
        StoreId(t.store_id.parse().expect("store id")),
    )
}

/// `n` rows of each list, with the nullable sort columns NULL on a share
/// of them and repeated values (ties broken by id).
async fn populate(app: &TestApp, account: AccountId, store: StoreId, n: usize) {
    let mut tx = app.store.begin().await.expect("begin");
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    for i in 0..n {
        let mut v = Vehicle::new(format!("Veículo {}", i % 97), store);
        v.brand = (i % 5 != 0).then(|| ["Honda", "Fiat", "Toyota"][i % 3].to_owned());
        v.price = (i % 7 != 0).then(|| Money::from_cents(5_000_000 + (i as i64 % 40) * 10_000));
        v.year_model = (i % 6 != 0).then(|| 2010 + (i % 12) as i32);
        v.mileage = (i % 4 != 0).then(|| (i as i64 % 50) * 1_000);
        v.status = [
            VehicleStatus::Ativo,
            VehicleStatus::Ativo,
            VehicleStatus::Vendido,
            VehicleStatus::Arquivado,
        ][i % 4]
            .clone();
        tx.vehicles()
            .insert(account, VehicleId::new(), &v)
            .await
            .expect("vehicle");

        let mut c = Client::new(ClientType::Pf, format!("Cliente {}", i % 89));
        c.email = (i % 3 != 0).then(|| format!("c{}@example.com", i % 211));
        c.segment = (i % 4 != 0).then(|| [Segment::Vip, Segment::Regular][i % 2]);
        c.status = if i % 5 == 0 {
            ClientStatus::Inactive
        } else {
            ClientStatus::Active
        };
        c.store_id = (i % 2 == 0).then_some(store);
        tx.clients()
            .insert(account, ClientId::new(), &c)
            .await
            .expect("client");

        let mut d = Deal::new(format!("Negócio {}", i % 83));
        d.value = (i % 3 != 0).then(|| Money::from_cents(1_000_000 + (i as i64 % 30) * 5_000));
        d.probability = (i % 4 != 0).then(|| (i % 10) as i32 * 10);
        d.expected_close_date = (i % 5 != 0).then(|| today + Duration::days((i % 60) as i64));
        d.status = [DealStatus::Ativo, DealStatus::Ativo, DealStatus::Arquivado][i % 3];
        d.store_id = Some(store);
        tx.deals()
            .insert(account, DealId::new(), &d)
            .await
            .expect("deal");

        let mut a = Activity::new(format!("Atividade {}", i % 79));
        a.due_date = (i % 3 != 0).then(|| Utc::now() + Duration::hours((i % 500) as i64));
        a.status = [ActivityStatus::Pending, ActivityStatus::Completed][i % 2];
        a.store_id = (i % 2 == 0).then_some(store);
        tx.activities()
            .insert(account, ActivityId::new(), &a)
            .await
            .expect("activity");

        let paid = i % 3 == 0;
        let record = FinancialRecord {
            kind: RecordType::Expense,
            category: Category::Marketing,
            description: None,
            amount: Money::from_cents(10_000 + (i as i64 % 70) * 100),
            status: if paid {
                FinancialStatus::Paid
            } else {
                FinancialStatus::Pending
            },
            payment_method: None,
            due_date: (i % 4 != 0).then(|| today + Duration::days((i % 90) as i64)),
            paid_at: paid.then(Utc::now),
            vehicle_id: None,
            deal_id: None,
            client_id: None,
            store_id: (i % 2 == 0).then_some(store),
        };
        tx.financial()
            .insert(account, FinancialId::new(), &record)
            .await
            .expect("financial");
    }
    tx.commit().await.expect("commit");
}

/// Fresh planner statistics, as a running server has them.
async fn analyse(app: &TestApp) {
    match app.store.backend() {
        StoreBackend::Sqlite => app.store.optimize().await.expect("optimize"),
        StoreBackend::Postgres => {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(&app.database_url)
                .await
                .expect("postgres");
            sqlx::query("ANALYZE")
                .execute(&mut c)
                .await
                .expect("analyze");
        }
    }
}

/// No statement sorts; every page statement (the ones with an `ORDER BY`)
/// reads `table` through an index. (The others are bounded by a `LIMIT`
/// or read the kept counts.)
fn assert_walks(app: &TestApp, what: &str, table: &str, alias: &str, plans: &[Plan]) {
    assert!(plans.len() >= 2, "{what}: {plans:?}");
    for p in plans {
        let page = p.sql.contains("ORDER BY");
        match app.store.backend() {
            StoreBackend::Sqlite => {
                assert!(
                    !p.plan.contains("TEMP B-TREE"),
                    "{what} sorts:\n{}\n{}",
                    p.sql,
                    p.plan
                );
                assert!(
                    !page || !p.plan.lines().any(|l| l.trim() == format!("SCAN {alias}")),
                    "{what} scans the table:\n{}\n{}",
                    p.sql,
                    p.plan
                );
            }
            StoreBackend::Postgres => {
                assert!(
                    !p.plan.contains("Sort"),
                    "{what} sorts:\n{}\n{}",
                    p.sql,
                    p.plan
                );
                assert!(
                    !page || !p.plan.contains(&format!("Seq Scan on {table}")),
                    "{what} scans the table:\n{}\n{}",
                    p.sql,
                    p.plan
                );
            }
        }
    }
}

async fn every_list_sort_walks_an_index(app: TestApp) {
    let (account, store) = tenant_ids(&app).await;
    let (other, other_store) = tenant_ids(&app).await;
    populate(&app, account, store, ROWS).await;
    populate(&app, other, other_store, ROWS / 5).await;
    analyse(&app).await;
    let mut conn = app.store.conn().await.expect("conn");

    // Each direction, the first page and one further in.
    let pages = [(false, 0), (true, 0), (false, 40), (true, 40)];

    let vehicle_filters = [
        ("default", VehicleFilter::default()),
        (
            "status=ativo",
            VehicleFilter {
                status: Some(VehicleStatus::Ativo),
                ..VehicleFilter::default()
            },
        ),
        (
            "store_id",
            VehicleFilter {
                store_id: Some(store),
                ..VehicleFilter::default()
            },
        ),
    ];
    for sort in [
        VehicleSort::CreatedAt,
        VehicleSort::UpdatedAt,
        VehicleSort::Price,
        VehicleSort::YearModel,
        VehicleSort::Mileage,
        VehicleSort::Title,
        VehicleSort::Brand,
    ] {
        for (desc, offset) in pages {
            let filter = &vehicle_filters[0].1;
            let plans = conn
                .vehicles()
                .list_plans(account, filter, sort, desc, 20, offset)
                .await
                .expect("plans");
            let what = format!("vehicles sort {sort:?} desc={desc} offset={offset}");
            assert_walks(&app, &what, "vehicles", "v", &plans);
        }
    }
    for (name, filter) in &vehicle_filters {
        for desc in [true, false] {
            let plans = conn
                .vehicles()
                .list_plans(account, filter, VehicleSort::CreatedAt, desc, 20, 0)
                .await
                .expect("plans");
            let what = format!("vehicles {name} desc={desc}");
            assert_walks(&app, &what, "vehicles", "v", &plans);
        }
    }

    let client_filters = [
        ("default", ClientFilter::default()),
        (
            "status=active",
            ClientFilter {
                status: Some(ClientStatus::Active),
                ..ClientFilter::default()
            },
        ),
        (
            "store_id",
            ClientFilter {
                store_id: Some(store),
                ..ClientFilter::default()
            },
        ),
    ];
    for sort in [
        ClientSort::CreatedAt,
        ClientSort::UpdatedAt,
        ClientSort::Name,
        ClientSort::Email,
        ClientSort::Segment,
        ClientSort::Status,
    ] {
        for (desc, offset) in pages {
            let plans = conn
                .clients()
                .list_plans(account, &client_filters[0].1, sort, desc, 20, offset)
                .await
                .expect("plans");
            let what = format!("clients sort {sort:?} desc={desc} offset={offset}");
            assert_walks(&app, &what, "clients", "c", &plans);
        }
    }
    for (name, filter) in &client_filters {
        let plans = conn
            .clients()
            .list_plans(account, filter, ClientSort::CreatedAt, true, 20, 0)
            .await
            .expect("plans");
        assert_walks(&app, &format!("clients {name}"), "clients", "c", &plans);
    }

    let deal_filters = [
        ("default", DealFilter::default()),
        (
            "status=ativo",
            DealFilter {
                status: Some(DealStatus::Ativo),
                ..DealFilter::default()
            },
        ),
        (
            "store_id",
            DealFilter {
                store_id: Some(store),
                ..DealFilter::default()
            },
        ),
    ];
    for sort in [
        DealSort::CreatedAt,
        DealSort::UpdatedAt,
        DealSort::Title,
        DealSort::Value,
        DealSort::Phase,
        DealSort::Probability,
        DealSort::ExpectedCloseDate,
    ] {
        for (desc, offset) in pages {
            let plans = conn
                .deals()
                .list_plans(account, &deal_filters[0].1, sort, desc, 20, offset)
                .await
                .expect("plans");
            let what = format!("deals sort {sort:?} desc={desc} offset={offset}");
            assert_walks(&app, &what, "deals", "d", &plans);
        }
    }
    for (name, filter) in &deal_filters {
        let plans = conn
            .deals()
            .list_plans(account, filter, DealSort::CreatedAt, true, 20, 0)
            .await
            .expect("plans");
        assert_walks(&app, &format!("deals {name}"), "deals", "d", &plans);
    }

    let activity_filters = [
        ("default", ActivityFilter::default()),
        (
            "status=pending",
            ActivityFilter {
                status: Some(ActivityStatus::Pending),
                ..ActivityFilter::default()
            },
        ),
        (
            "store_id",
            ActivityFilter {
                store_id: Some(store),
                ..ActivityFilter::default()
            },
        ),
    ];
    for sort in [
        ActivitySort::DueDate,
        ActivitySort::CreatedAt,
        ActivitySort::UpdatedAt,
        ActivitySort::Title,
        ActivitySort::Status,
    ] {
        for (desc, offset) in pages {
            let plans = conn
                .activities()
                .list_plans(account, &activity_filters[0].1, sort, desc, 20, offset)
                .await
                .expect("plans");
            let what = format!("activities sort {sort:?} desc={desc} offset={offset}");
            assert_walks(&app, &what, "activities", "a", &plans);
        }
    }
    // The default sort is due_date ascending.
    for (name, filter) in &activity_filters {
        let plans = conn
            .activities()
            .list_plans(account, filter, ActivitySort::DueDate, false, 20, 0)
            .await
            .expect("plans");
        assert_walks(
            &app,
            &format!("activities {name}"),
            "activities",
            "a",
            &plans,
        );
    }

    let financial_filters = [
        ("default", FinancialFilter::default()),
        (
            "status=paid",
            FinancialFilter {
                status: Some(FinancialStatus::Paid),
                ..FinancialFilter::default()
            },
        ),
        (
            "store_id",
            FinancialFilter {
                store_id: Some(store),
                ..FinancialFilter::default()
            },
        ),
    ];
    for sort in [
        FinancialSort::CreatedAt,
        FinancialSort::UpdatedAt,
        FinancialSort::Amount,
        FinancialSort::DueDate,
        FinancialSort::PaidAt,
    ] {
        for (desc, offset) in pages {
            let plans = conn
                .financial()
                .list_plans(account, &financial_filters[0].1, sort, desc, 20, offset)
                .await
                .expect("plans");
            let what = format!("financial sort {sort:?} desc={desc} offset={offset}");
            assert_walks(&app, &what, "financial_records", "f", &plans);
        }
    }
    for (name, filter) in &financial_filters {
        let plans = conn
            .financial()
            .list_plans(account, filter, FinancialSort::CreatedAt, true, 20, 0)
            .await
            .expect("plans");
        let what = format!("financial {name}");
        assert_walks(&app, &what, "financial_records", "f", &plans);
    }
}

both_backends!(every_list_sort_walks_an_index);

/// Statistics a few times off the table, as `PRAGMA optimize` leaves them
/// until a table has grown tenfold: they were taken before this account's
/// rows arrived. The default list (which leaves archived records out)
/// must still walk its sort's index. Before the sort column's range term,
/// SQLite walked the account's status or client index and sorted it all
/// (the bench's `vehicles_default`: ~130 ms a page at 100,000 vehicles).
async fn lists_walk_an_index_on_stale_statistics(app: TestApp) {
    for _ in 0..4 {
        let (small, small_store) = tenant_ids(&app).await;
        populate(&app, small, small_store, ROWS / 5).await;
    }
    analyse(&app).await;
    let (account, store) = tenant_ids(&app).await;
    populate(&app, account, store, ROWS).await;
    let mut conn = app.store.conn().await.expect("conn");
    for sort in [
        VehicleSort::CreatedAt,
        VehicleSort::UpdatedAt,
        VehicleSort::Price,
        VehicleSort::YearModel,
        VehicleSort::Mileage,
        VehicleSort::Title,
        VehicleSort::Brand,
    ] {
        for desc in [true, false] {
            let plans = conn
                .vehicles()
                .list_plans(account, &VehicleFilter::default(), sort, desc, 20, 20)
                .await
                .expect("plans");
            let what = format!("stale stats: vehicles sort {sort:?} desc={desc}");
            assert_walks(&app, &what, "vehicles", "v", &plans);
        }
    }
    for sort in [
        DealSort::CreatedAt,
        DealSort::UpdatedAt,
        DealSort::Title,
        DealSort::Value,
        DealSort::Phase,
        DealSort::Probability,
        DealSort::ExpectedCloseDate,
    ] {
        for desc in [true, false] {
            let plans = conn
                .deals()
                .list_plans(account, &DealFilter::default(), sort, desc, 20, 20)
                .await
                .expect("plans");
            let what = format!("stale stats: deals sort {sort:?} desc={desc}");
            assert_walks(&app, &what, "deals", "d", &plans);
        }
    }
}

both_backends!(lists_walk_an_index_on_stale_statistics);
