//! What a database's schema holds, read from its own catalog (SQLite's `pragma_*` tables,
//! PostgreSQL's `information_schema` and `pg_catalog`), in one form for both: tables, their
//! columns with a normalised type, primary keys, indexes and foreign keys.

use std::collections::{BTreeMap, BTreeSet};

use crate::Db;

/// The migrations' own bookkeeping, not the schema they make.
const BOOKKEEPING: &str = "_sqlx_migrations";

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    pub name: String,
    /// `integer`, `text`, `boolean`, `real` or `bytes`: what both backends mean alike.
    pub kind: String,
    pub not_null: bool,
}

/// One index that is not the primary key's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexInfo {
    pub columns: Vec<String>,
    pub unique: bool,
}

/// One foreign key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub references: Vec<String>,
}

/// One table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableInfo {
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Vec<String>,
    pub indexes: BTreeSet<IndexInfo>,
    pub foreign_keys: BTreeSet<ForeignKey>,
}

/// Every table by name.
pub type Schema = BTreeMap<String, TableInfo>;

/// The columns of a table, in their order.
pub async fn columns(db: &Db, table: &str) -> Vec<String> {
    table_info(db, table)
        .await
        .columns
        .into_iter()
        .map(|c| c.name)
        .collect()
}

/// The whole schema.
pub async fn read(db: &Db) -> Schema {
    let mut schema = Schema::new();
    for table in tables(db).await {
        let info = table_info(db, &table).await;
        schema.insert(table, info);
    }
    schema
}

/// A declared type as both backends understand it.
pub fn normalise(declared: &str) -> String {
    let lower = declared.trim().to_ascii_lowercase();
    let base = lower.split('(').next().unwrap_or_default().trim();
    let kind = match base {
        "integer" | "int" | "bigint" | "int8" | "int4" | "smallint" | "bigserial" | "serial" => {
            "integer"
        }
        "text" | "varchar" | "character varying" | "char" | "character" => "text",
        "boolean" | "bool" => "boolean",
        "real" | "double precision" | "float8" | "float4" | "numeric" => "real",
        "blob" | "bytea" => "bytes",
        other => other,
    };
    kind.to_owned()
}

async fn tables(db: &Db) -> Vec<String> {
    let rows =
        match db {
            Db::Sqlite(pool) => sqlx::query_scalar::<_, String>(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND name <> $1 ORDER BY name",
            )
            .bind(BOOKKEEPING)
            .fetch_all(pool)
            .await,
            Db::Postgres(pool) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> $1 ORDER BY table_name",
                )
                .bind(BOOKKEEPING)
                .fetch_all(pool)
                .await
            }
        };
    rows.expect("read the tables")
}

async fn table_info(db: &Db, table: &str) -> TableInfo {
    match db {
        Db::Sqlite(pool) => sqlite_table(pool, table).await,
        Db::Postgres(pool) => postgres_table(pool, table).await,
    }
    .expect("read a table's schema")
}

async fn sqlite_table(pool: &sqlx::SqlitePool, table: &str) -> Result<TableInfo, sqlx::Error> {
    let columns = sqlx::query_as::<_, (String, String, bool, i64)>(
        "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
    )
    .bind(table)
    .fetch_all(pool)
    .await?;
    let mut keyed: Vec<(i64, String)> = columns
        .iter()
        .filter(|c| c.3 > 0)
        .map(|c| (c.3, c.0.clone()))
        .collect();
    keyed.sort();
    let primary_key: Vec<String> = keyed.into_iter().map(|(_, name)| name).collect();
    let columns = columns
        .into_iter()
        .map(|(name, declared, not_null, pk)| ColumnInfo {
            // SQLite lets a primary key column be NULL unless it says NOT NULL; PostgreSQL
            // never does. Both refuse NULL keys in practice (rowid aliases, tenant keys).
            not_null: not_null || pk > 0,
            kind: normalise(&declared),
            name,
        })
        .collect();
    let mut indexes = BTreeSet::new();
    let listed = sqlx::query_as::<_, (String, bool, String)>(
        "SELECT name, \"unique\", origin FROM pragma_index_list($1)",
    )
    .bind(table)
    .fetch_all(pool)
    .await?;
    for (name, unique, origin) in listed {
        if origin == "pk" {
            continue;
        }
        let columns = sqlx::query_scalar::<_, Option<String>>(
            "SELECT name FROM pragma_index_info($1) ORDER BY seqno",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        let columns = columns
            .into_iter()
            .map(|c| c.unwrap_or_else(|| "(expression)".to_owned()))
            .collect();
        indexes.insert(IndexInfo { columns, unique });
    }
    let keys = sqlx::query_as::<_, (i64, i64, String, String, Option<String>)>(
        "SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1) ORDER BY id, seq",
    )
    .bind(table)
    .fetch_all(pool)
    .await?;
    let mut grouped: BTreeMap<i64, ForeignKey> = BTreeMap::new();
    for (id, _, target, from, to) in keys {
        let key = grouped.entry(id).or_insert_with(|| ForeignKey {
            columns: Vec::new(),
            table: target,
            references: Vec::new(),
        });
        key.columns.push(from);
        key.references
            .push(to.unwrap_or_else(|| "(primary key)".to_owned()));
    }
    Ok(TableInfo {
        columns,
        primary_key,
        indexes,
        foreign_keys: grouped.into_values().collect(),
    })
}

async fn postgres_table(pool: &sqlx::PgPool, table: &str) -> Result<TableInfo, sqlx::Error> {
    let columns = sqlx::query_as::<_, (String, String, String)>(
        "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT), CAST(is_nullable AS TEXT) \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(name, declared, nullable)| ColumnInfo {
        name,
        kind: normalise(&declared),
        not_null: nullable == "NO",
    })
    .collect();
    // Each index of the table: whether it is the primary key or unique, its number of key
    // columns, and its columns (or expressions) in order, the included ones last.
    let indexes = sqlx::query_as::<_, (bool, bool, i16, Vec<String>)>(
        "SELECT ix.indisprimary, ix.indisunique, ix.indnkeyatts, \
         ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) \
               FROM generate_series(1, ix.indnatts) AS k ORDER BY k) \
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname = $1",
    )
    .bind(table)
    .fetch_all(pool)
    .await?;
    let mut primary_key = Vec::new();
    let mut listed = BTreeSet::new();
    for (primary, unique, keys, columns) in indexes {
        let columns: Vec<String> = columns
            .into_iter()
            .map(|c| {
                let plain = c.trim_matches('"');
                if plain
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                {
                    plain.to_owned()
                } else {
                    "(expression)".to_owned()
                }
            })
            .collect();
        let keys = usize::try_from(keys).unwrap_or_default();
        if primary {
            // A primary key that includes more columns covers what SQLite covers with an index
            // of them all after its primary key (see migration 0016).
            if columns.len() > keys {
                listed.insert(IndexInfo {
                    columns: columns.clone(),
                    unique: false,
                });
            }
            primary_key = columns[..keys.min(columns.len())].to_vec();
        } else {
            listed.insert(IndexInfo {
                columns: columns[..keys.min(columns.len())].to_vec(),
                unique,
            });
        }
    }
    let keys = sqlx::query_as::<_, (String, Vec<String>, Vec<String>)>(
        "SELECT CAST(r.relname AS TEXT), \
         ARRAY(SELECT CAST(a.attname AS TEXT) FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i) \
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), \
         ARRAY(SELECT CAST(a.attname AS TEXT) FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i) \
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = $1",
    )
    .bind(table)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(target, columns, references)| ForeignKey {
        columns,
        table: target,
        references,
    })
    .collect::<BTreeSet<_>>();
    // A statement-level check of the rows' tenant stands for the foreign key SQLite keeps
    // (migration 0022).
    let checked = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname = $1 AND g.tgname = $1 || '_tenant_known'",
    )
    .bind(table)
    .fetch_one(pool)
    .await?;
    let mut keys = keys;
    if checked > 0 {
        keys.insert(ForeignKey {
            columns: vec!["tenant_id".to_owned()],
            table: "tenants".to_owned(),
            references: vec!["id".to_owned()],
        });
    }
    Ok(TableInfo {
        columns,
        primary_key,
        indexes: listed,
        foreign_keys: keys,
    })
}
