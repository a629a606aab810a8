//! What a database's schema holds, read from its own catalog (SQLite's `pragma_*` tables,
//! PostgreSQL's `information_schema` and `pg_catalog`), in one form for both.

use crate::Db;

/// The columns of a table, in their order.
pub async fn columns(db: &Db, table: &str) -> Vec<String> {
    let rows = match db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar::<_, String>("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(pool)
                .await
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar::<_, String>(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(pool)
            .await
        }
    };
    rows.expect("read the table's columns")
}
