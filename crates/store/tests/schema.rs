//! SQLite and PostgreSQL, each migrated from its own files, hold the same schema: the same
//! tables, columns (types normalised to what both mean alike), nullability, primary keys,
//! indexes and foreign keys. The migrations are written twice; this is what keeps them one.

use vitrina_store::testing::TestDb;
use vitrina_store::testing::schema::{self, Schema};

fn describe(schema: &Schema) -> Vec<String> {
    let mut lines = Vec::new();
    for (table, info) in schema {
        for column in &info.columns {
            let null = if column.not_null { "NOT NULL" } else { "NULL" };
            lines.push(format!("{table}.{} {} {null}", column.name, column.kind));
        }
        lines.push(format!(
            "{table} PRIMARY KEY ({})",
            info.primary_key.join(", ")
        ));
        for index in &info.indexes {
            let unique = if index.unique { "UNIQUE " } else { "" };
            lines.push(format!(
                "{table} {unique}INDEX ({})",
                index.columns.join(", ")
            ));
        }
        for key in &info.foreign_keys {
            lines.push(format!(
                "{table} FOREIGN KEY ({}) REFERENCES {} ({})",
                key.columns.join(", "),
                key.table,
                key.references.join(", ")
            ));
        }
    }
    lines
}

#[tokio::test]
async fn both_databases_hold_the_same_schema() {
    let sqlite = TestDb::sqlite().await;
    let Some(postgres) = TestDb::postgres().await else {
        return;
    };
    let (lite, pg) = (
        schema::read(&sqlite.db).await,
        schema::read(&postgres.db).await,
    );
    assert!(
        lite.len() >= 20 && lite.contains_key("products"),
        "the schema was read: {:?}",
        lite.keys()
    );
    for read in [&lite, &pg] {
        let members = &read["group_members"];
        assert_eq!(
            members.foreign_keys.len(),
            2,
            "foreign keys were read: {members:?}"
        );
        assert!(
            !read["products"].indexes.is_empty()
                && read["products"].primary_key == ["tenant_id", "external_id"]
        );
    }
    let (lite, pg) = (describe(&lite), describe(&pg));
    let only_sqlite: Vec<&String> = lite.iter().filter(|l| !pg.contains(l)).collect();
    let only_postgres: Vec<&String> = pg.iter().filter(|l| !lite.contains(l)).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migrations disagree\nonly in SQLite:\n  {}\nonly in PostgreSQL:\n  {}",
        only_sqlite
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        only_postgres
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
    );
}

#[test]
fn types_are_normalised_to_what_both_mean() {
    assert_eq!(schema::normalise("BIGINT"), "integer");
    assert_eq!(schema::normalise("INTEGER"), "integer");
    assert_eq!(schema::normalise("character varying(20)"), "text");
    assert_eq!(schema::normalise("bool"), "boolean");
    assert_eq!(schema::normalise("BLOB"), schema::normalise("bytea"));
}
