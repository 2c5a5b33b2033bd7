//! Every migration exists under both backends with the same name, and the
//! twins declare the same tables with the same columns in the same order.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

type Schema = BTreeMap<String, Vec<String>>;

/// Tables and their column names, read from `CREATE TABLE` blocks.
fn schema(sql: &str) -> Schema {
    let mut tables = Schema::new();
    let mut current: Option<String> = None;
    for line in sql.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
            let name = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            tables.insert(name.clone(), Vec::new());
            current = Some(name);
        } else if line.starts_with(");") {
            current = None;
        } else if let Some(table) = &current {
            let first = line.split_whitespace().next().unwrap_or_default();
            let constraint = ["PRIMARY", "FOREIGN", "UNIQUE", "CHECK", "--", ""].contains(&first);
            if !constraint {
                if let Some(columns) = tables.get_mut(table) {
                    columns.push(first.to_owned());
                }
            }
        }
    }
    tables
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("migrations dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn sqlite_and_postgres_migrations_are_twins() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let sqlite = files(&root.join("sqlite"));
    let postgres = files(&root.join("postgres"));
    assert_eq!(sqlite, postgres, "same file names under both backends");
    for name in &sqlite {
        let read = |backend: &str| fs::read_to_string(root.join(backend).join(name)).expect("read");
        let (a, b) = (schema(&read("sqlite")), schema(&read("postgres")));
        assert!(
            !a.is_empty() || !name.ends_with(".sql"),
            "{name} declares tables"
        );
        assert_eq!(a, b, "{name}: tables and columns differ");
        if name.starts_with("0003") {
            let products = a.get("products").expect("0003 creates products");
            assert!(products.iter().any(|c| c == "brand_id"));
            assert!(products.iter().any(|c| c == "manufacturer_id"));
        }
    }
}
