//! Both served OpenAPI documents, compared with the snapshots committed
//! under `snapshots/`: any change to a route, a parameter, a schema or a
//! description shows up as a diff in review instead of passing unseen.
//!
//! After a deliberate change, regenerate both snapshots with one command
//! (CONTRIBUTING.md) and commit them with the change:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test -p vitrine-server --test openapi -- snapshot
//! ```

use vitrine_testkit::TestApp;

use super::get_json;

/// The documents do not depend on the backend: both runs compare with the
/// same two snapshots.
async fn documents_match_their_snapshots(app: TestApp) {
    let auto = get_json(&app, "/api/v1/openapi.json").await;
    insta::assert_json_snapshot!("auto", auto);
    let loja = get_json(&app, "/openapi/loja.json").await;
    insta::assert_json_snapshot!("loja", loja);
}

vitrine_testkit::both_backends!(documents_match_their_snapshots);
