//! One field list per row shape (a product, an offer): [`row_shape!`] makes from it the staged
//! row, the read row, the merge of two statements, the content hash, and — through [`Shape`] —
//! the staging table, the staging and publishing statements and the read statement. A column
//! added to the list reaches all of them; a test holds the live tables to the lists.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// How the import treats a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The row's key within the tenant: never merged, hashed.
    Key,
    /// Fixed by the key (a product part, a variant part): never merged, not hashed (the key is).
    Identity,
    /// What a document states: NULL means "not stated" and keeps the live value; hashed.
    Stated,
    /// Worked out from stated columns (search text): merged like them, not hashed (what it is
    /// made of is).
    Derived,
}

impl Role {
    /// Whether the content hash covers the column.
    pub const fn hashed(self) -> bool {
        matches!(self, Self::Key | Self::Stated)
    }

    /// Whether a later statement's value replaces an earlier one (NULL keeps it).
    pub const fn merged(self) -> bool {
        matches!(self, Self::Stated | Self::Derived)
    }
}

/// One text column of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub role: Role,
    pub nullable: bool,
}

/// A row shape: its live and staging tables and its text columns in order. Every shape also
/// has `active` (restated by each statement, hashed) and `content_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The live table (`products`).
    pub table: &'static str,
    /// The session's staging table (`staged_products`).
    pub staged: &'static str,
    /// Whether the live table records `created_at` besides `updated_at`.
    pub created_at: bool,
    pub columns: &'static [Column],
}

/// The statements of a shape, made once.
#[derive(Debug)]
pub struct ShapeSql {
    /// `CREATE TEMP TABLE` of the staging table (the same text on both backends).
    pub staging_table: String,
    /// `INSERT INTO staged (…) ` before the `VALUES` of a batch.
    pub stage_head: String,
    /// ` ON CONFLICT … DO UPDATE …` after them: a later statement folds into an earlier one.
    pub stage_tail: String,
    /// Staged rows into the live table (`$1` tenant, `$2` now): stated columns overwrite,
    /// unstated ones keep the live value.
    pub publish: String,
    /// Rows straight into the live table, merged as `publish` merges staged ones
    /// (PostgreSQL: `$1` tenant, `$2` now, then one array per column, see `bind_arrays`).
    pub write_live: String,
    /// The read row's columns, in the shape's order.
    pub read_columns: String,
    /// The statements of the table's history (`catalog::history`).
    pub history: HistorySql,
}

/// How a shape's rows are kept in `{table}_history` before a publish changes them, and brought
/// back by a rollback. Every row is kept whole: its columns, `created_at` and `updated_at`.
#[derive(Debug)]
pub struct HistorySql {
    /// Keeps the live rows staging will change (`$1` tenant, `$2` publish).
    pub keep_staged: String,
    /// Keeps live rows by id (`$1` tenant, `$2` publish): the ids follow, then `)`.
    pub keep_listed: String,
    /// `write_live` that first keeps the rows it will change (PostgreSQL; the publish is the
    /// parameter after the arrays).
    pub write_live_keeping: String,
    /// A rollback keeps what it will change (`$1` tenant, `$2` the rollback, `$3` the publish
    /// rolled back to before, `$4` its start): rows kept since `$3`, and rows created since.
    pub keep_for_rollback: String,
    /// Removes rows created since `$2` (`$1` tenant): they did not exist before.
    pub remove_created: String,
    /// Brings back each row kept since publish `$2` (`$1` tenant) as the earliest of those
    /// kept it, if it existed before that publish's start `$3`.
    pub restore: String,
}

impl Shape {
    fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns
            .iter()
            .map(|c| c.name)
            .chain(["active", "content_hash", "source_hash"])
    }

    fn merged(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns
            .iter()
            .filter(|c| c.role.merged())
            .map(|c| c.name)
    }

    /// The statements of this shape.
    pub fn sql(&self) -> ShapeSql {
        let (table, staged) = (self.table, self.staged);
        let names: Vec<&str> = self.names().collect();
        let list = names.join(", ");
        let mut definitions: Vec<String> = self
            .columns
            .iter()
            .map(|c| match (c.role, c.nullable) {
                (Role::Key, _) => format!("{} TEXT PRIMARY KEY", c.name),
                (_, false) => format!("{} TEXT NOT NULL", c.name),
                (_, true) => format!("{} TEXT", c.name),
            })
            .collect();
        definitions.extend([
            "active BOOLEAN NOT NULL".into(),
            "content_hash TEXT".into(),
            "source_hash TEXT".into(),
        ]);
        let keep = |into: &str| -> String {
            let mut set = String::new();
            for name in self.merged() {
                let _ = write!(set, "{name} = COALESCE(excluded.{name}, {into}.{name}), ");
            }
            set
        };
        let (stamps, stamp_values) = if self.created_at {
            ("created_at, updated_at", "$2, $2")
        } else {
            ("updated_at", "$2")
        };
        // A row that says what the live one says keeps its `updated_at`: the storefront's
        // "changed since" sees only real changes.
        let live_head = format!("INSERT INTO {table} (tenant_id, {list}, {stamps}) ");
        // One array per column in `names` order: the text columns, `active`, the two hashes.
        let kinds = self.columns.iter().map(|_| "TEXT");
        let arrays: Vec<String> = kinds
            .chain(["BOOLEAN", "TEXT", "TEXT"])
            .zip(3..)
            .map(|(kind, n)| format!("CAST(${n} AS {kind}[])"))
            .collect();
        let live_tail = format!(
            " ON CONFLICT (tenant_id, external_id) DO UPDATE SET {}active = excluded.active, \
             content_hash = excluded.content_hash, source_hash = excluded.source_hash, \
             updated_at = CASE WHEN excluded.content_hash IS NOT NULL \
             AND {table}.content_hash = excluded.content_hash \
             THEN {table}.updated_at ELSE excluded.updated_at END",
            keep(table)
        );
        let write_live = format!(
            "{live_head}SELECT CAST($1 AS BIGINT), {list}, {stamp_values} \
             FROM UNNEST({}) AS t ({list}){live_tail}",
            arrays.join(", ")
        );
        let history = self.history_sql(&list, arrays.len() + 3, &write_live);
        ShapeSql {
            staging_table: format!(
                "CREATE TEMP TABLE IF NOT EXISTS {staged} ({})",
                definitions.join(", ")
            ),
            stage_head: format!("INSERT INTO {staged} ({list}) "),
            stage_tail: format!(
                " ON CONFLICT (external_id) DO UPDATE SET {}active = excluded.active, \
                 content_hash = NULL, source_hash = NULL",
                keep(staged)
            ),
            // In id order: the live indexes are then written in order (SQLite's staging
            // tables are kept in it).
            publish: format!(
                "{live_head}SELECT CAST($1 AS BIGINT), {list}, {stamp_values} FROM {staged} \
                 WHERE TRUE ORDER BY external_id{live_tail}"
            ),
            write_live,
            read_columns: self
                .columns
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
                .join(", "),
            history,
        }
    }

    /// The history statements; `publish_param` is `write_live`'s parameter after its arrays.
    fn history_sql(&self, list: &str, publish_param: usize, write_live: &str) -> HistorySql {
        let (table, staged) = (self.table, self.staged);
        let all = format!("{list}, created_at, updated_at");
        let keep = format!(
            "INSERT INTO {table}_history (tenant_id, publish_id, {all}) \
             SELECT tenant_id, CAST($2 AS BIGINT), {all} FROM {table} WHERE tenant_id = $1 AND "
        );
        let overwrite: Vec<String> = self
            .names()
            .chain(["created_at", "updated_at"])
            .filter(|name| *name != "external_id")
            .map(|name| format!("{name} = excluded.{name}"))
            .collect();
        HistorySql {
            keep_staged: format!(
                "{keep}external_id IN (SELECT external_id FROM {staged}) ON CONFLICT DO NOTHING"
            ),
            keep_listed: format!("{keep}external_id IN ("),
            write_live_keeping: format!(
                "WITH kept AS (INSERT INTO {table}_history (tenant_id, publish_id, {all}) \
                 SELECT tenant_id, CAST(${publish_param} AS BIGINT), {all} FROM {table} \
                 WHERE tenant_id = $1 AND external_id = ANY(CAST($3 AS TEXT[])) \
                 ON CONFLICT DO NOTHING) {write_live}"
            ),
            keep_for_rollback: format!(
                "{keep}(created_at >= $4 OR external_id IN (SELECT external_id FROM {table}_history \
                 WHERE tenant_id = $1 AND publish_id >= $3)) ON CONFLICT DO NOTHING"
            ),
            remove_created: format!(
                "DELETE FROM {table} WHERE tenant_id = $1 AND created_at >= $2"
            ),
            restore: format!(
                "INSERT INTO {table} (tenant_id, {all}) SELECT tenant_id, {all} FROM {table}_history h \
                 WHERE h.tenant_id = $1 AND h.publish_id >= $2 AND h.created_at < $3 \
                 AND NOT EXISTS (SELECT 1 FROM {table}_history e WHERE e.tenant_id = $1 \
                 AND e.external_id = h.external_id AND e.publish_id >= $2 AND e.publish_id < h.publish_id) \
                 ORDER BY h.external_id ON CONFLICT (tenant_id, external_id) DO UPDATE SET {}",
                overwrite.join(", ")
            ),
        }
    }
}

/// A column's Rust type: `String` (NOT NULL) or `Option<String>`.
pub trait TextColumn {
    const NULLABLE: bool;
    fn text(&self) -> Option<&str>;
    fn from_text(text: Option<&str>) -> Self;
}

impl TextColumn for String {
    const NULLABLE: bool = false;
    fn text(&self) -> Option<&str> {
        Some(self)
    }
    fn from_text(text: Option<&str>) -> Self {
        text.unwrap_or_default().to_owned()
    }
}

impl TextColumn for Option<String> {
    const NULLABLE: bool = true;
    fn text(&self) -> Option<&str> {
        self.as_deref()
    }
    fn from_text(text: Option<&str>) -> Self {
        text.map(str::to_owned)
    }
}

/// Feeds columns into a hash so that `None`, `Some("")` and column boundaries differ; 32 hex
/// digits (128 bits).
pub fn content_hash<'a>(
    columns: impl IntoIterator<Item = Option<&'a str>>,
    active: bool,
) -> String {
    let mut hasher = Sha256::new();
    for column in columns {
        match column {
            Some(text) => {
                hasher.update([1]);
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update([0]),
        }
    }
    hasher.update([u8::from(active)]);
    let digest = hasher.finalize();
    // Hex by hand: `format!` per byte was a visible share of a 100k-offer re-import.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(32);
    for byte in &digest[..16] {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    hex
}

/// Declares a row shape: the staged row `$staged` (its columns, `active`, `content_hash`), the
/// read row `$read` (its columns), `SHAPE`, `merge`, `hash` and the staging binds.
macro_rules! row_shape {
    (
        $(#[$staged_meta:meta])*
        staged $staged:ident in $staged_table:literal;
        $(#[$read_meta:meta])*
        read $read:ident from $table:literal, created_at: $created_at:literal;
        $( $(#[$field_meta:meta])* $role:ident $field:ident: $ty:ty, )+
    ) => {
        $(#[$staged_meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $staged {
            $( $(#[$field_meta])* pub $field: $ty, )+
            /// Not deleted.
            pub active: bool,
            /// The row's hash when a full document states it whole; `None` otherwise.
            pub content_hash: Option<String>,
            /// With `content_hash`, when the row can be known by its item's bytes: their
            /// digest mixed with what else the row is made from.
            pub source_hash: Option<String>,
        }

        $(#[$read_meta])*
        #[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
        pub struct $read {
            $( $(#[$field_meta])* pub $field: $ty, )+
        }

        impl $read {
            /// A column's value by its name in the shape (tests walk the shape with it).
            pub fn text(&self, column: &str) -> Option<&str> {
                $(
                    if column == stringify!($field) {
                        return <$ty as $crate::catalog::shape::TextColumn>::text(&self.$field);
                    }
                )+
                panic!("{column} is not a column of {}", stringify!($read))
            }
        }

        impl $staged {
            /// The shape's field list.
            pub const SHAPE: $crate::catalog::shape::Shape = $crate::catalog::shape::Shape {
                table: $table,
                staged: $staged_table,
                created_at: $created_at,
                columns: &[$(
                    $crate::catalog::shape::Column {
                        name: stringify!($field),
                        role: $crate::catalog::shape::Role::$role,
                        nullable: <$ty as $crate::catalog::shape::TextColumn>::NULLABLE,
                    },
                )+],
            };

            /// The shape's statements, made on first use and kept.
            pub(crate) fn statements() -> &'static $crate::catalog::shape::ShapeSql {
                static STATEMENTS: std::sync::LazyLock<$crate::catalog::shape::ShapeSql> =
                    std::sync::LazyLock::new(|| $staged::SHAPE.sql());
                &STATEMENTS
            }

            /// The row with one column set by its name in the shape (tests walk the shape with
            /// it).
            pub fn with_text(mut self, column: &str, text: Option<&str>) -> Self {
                $(
                    if column == stringify!($field) {
                        self.$field = <$ty as $crate::catalog::shape::TextColumn>::from_text(text);
                        return self;
                    }
                )+
                panic!("{column} is not a column of {}", stringify!($staged))
            }

            /// Folds a later statement of the same row into this one (one statement may not
            /// touch a row twice): what the later one states wins.
            pub fn merge(&mut self, later: Self) {
                $(
                    if $crate::catalog::shape::Role::$role.merged() {
                        let value = later.$field;
                        if <$ty as $crate::catalog::shape::TextColumn>::text(&value).is_some() {
                            self.$field = value;
                        }
                    }
                )+
                self.active = later.active;
                self.content_hash = None;
                self.source_hash = None;
            }

            /// The hash of what this statement says: the hashed columns and `active`.
            pub fn hash(&self) -> String {
                let columns = [$(
                    $crate::catalog::shape::Role::$role.hashed().then(|| {
                        <$ty as $crate::catalog::shape::TextColumn>::text(&self.$field)
                    }),
                )+];
                $crate::catalog::shape::content_hash(columns.into_iter().flatten(), self.active)
            }

            /// Binds the row's columns, in the shape's order, to one row of a `VALUES` list.
            pub(crate) fn bind<DB: sqlx::Database>(
                self,
                row: &mut sqlx::query_builder::Separated<'_, DB, &'static str>,
            ) where
                String: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
                Option<String>: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
                bool: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
            {
                $( row.push_bind(self.$field); )+
                row.push_bind(self.active);
                row.push_bind(self.content_hash);
                row.push_bind(self.source_hash);
            }

            /// Binds `rows` to `write_live` after the tenant and the time: one array per
            /// column, so a batch is one statement whatever its length.
            pub(crate) fn bind_arrays<'q>(
                rows: Vec<Self>,
                query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
            ) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
                $( let mut $field: Vec<$ty> = Vec::with_capacity(rows.len()); )+
                let mut active = Vec::with_capacity(rows.len());
                let mut content_hash = Vec::with_capacity(rows.len());
                let mut source_hash = Vec::with_capacity(rows.len());
                for row in rows {
                    $( $field.push(row.$field); )+
                    active.push(row.active);
                    content_hash.push(row.content_hash);
                    source_hash.push(row.source_hash);
                }
                query $( .bind($field) )+ .bind(active).bind(content_hash).bind(source_hash)
            }
        }
    };
}

pub(crate) use row_shape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_tell_absent_from_empty() {
        assert_ne!(
            content_hash([None, Some("a")], true),
            content_hash([Some(""), Some("a")], true)
        );
        assert_ne!(
            content_hash([Some("ab"), Some("")], true),
            content_hash([Some("a"), Some("b")], true)
        );
        assert_ne!(
            content_hash([Some("a")], true),
            content_hash([Some("a")], false)
        );
    }
}
