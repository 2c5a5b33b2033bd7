//! What the database itself guarantees under the Auto CRM checks: the
//! partial unique indexes that close the race between two writers passing
//! the duplicate check at once (Decision 2), on both backends.

use vitrine_core::client::{Client, ClientStatus, ClientType};
use vitrine_core::ids::{AccountId, ClientId, StoreId, VehicleId};
use vitrine_core::vehicle::{Vehicle, VehicleStatus};
use vitrine_store::Error;
use vitrine_testkit::{both_backends, TestApp};

async fn unique_indexes_back_the_duplicate_checks(app: TestApp) {
    let t = app.tenant().await;
    let account: AccountId = t.account_id.parse().expect("account");
    let store: StoreId = t.store_id.parse().expect("store");
    let mut joao = Client::new(ClientType::Pf, "João".into());
    joao.cpf = Some("123.456.789-00".into());
    let mut same_digits = Client::new(ClientType::Pf, "Outro".into());
    same_digits.cpf = Some("12345678900".into());

    let mut tx = app.store.begin().await.expect("tx");
    tx.clients()
        .insert(account, ClientId::new(), &joao)
        .await
        .expect("first");
    // Straight to the repository, skipping the handler's check.
    let second = tx
        .clients()
        .insert(account, ClientId::new(), &same_digits)
        .await;
    assert!(
        matches!(second, Err(Error::Conflict { what: "cpf" })),
        "{second:?}"
    );
    drop(tx);

    let mut tx = app.store.begin().await.expect("tx");
    tx.clients()
        .insert(account, ClientId::new(), &joao)
        .await
        .expect("first");
    // Inactive clients do not hold their document.
    same_digits.status = ClientStatus::Inactive;
    tx.clients()
        .insert(account, ClientId::new(), &same_digits)
        .await
        .expect("inactive duplicate");
    tx.commit().await.expect("commit");

    let mut civic = Vehicle::new("Civic".into(), store);
    civic.plate = Some("ABC1D23".into());
    let mut other = Vehicle::new("Outro".into(), store);
    other.plate = Some("abc1d23".into());
    let mut tx = app.store.begin().await.expect("tx");
    tx.vehicles()
        .insert(account, VehicleId::new(), &civic)
        .await
        .expect("first");
    let second = tx
        .vehicles()
        .insert(account, VehicleId::new(), &other)
        .await;
    assert!(
        matches!(second, Err(Error::Conflict { what: "plate" })),
        "{second:?}"
    );
    drop(tx);
    let mut tx = app.store.begin().await.expect("tx");
    tx.vehicles()
        .insert(account, VehicleId::new(), &civic)
        .await
        .expect("first");
    other.status = VehicleStatus::Arquivado;
    tx.vehicles()
        .insert(account, VehicleId::new(), &other)
        .await
        .expect("archived duplicate");
    tx.commit().await.expect("commit");

    // A foreign store cannot be referenced even by a direct insert (composite key).
    let b = app.tenant().await;
    let b_account: AccountId = b.account_id.parse().expect("account");
    let mut tx = app.store.begin().await.expect("tx");
    let foreign = tx
        .vehicles()
        .insert(
            b_account,
            VehicleId::new(),
            &Vehicle::new("X".into(), store),
        )
        .await;
    assert!(foreign.is_err(), "A's store under B's account: {foreign:?}");
}

both_backends!(unique_indexes_back_the_duplicate_checks);
