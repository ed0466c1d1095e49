//! The numbered, append-only schema migrations of both backends, embedded in the binary.
//!
//! Each backend applies, in version order, the migrations its `schema_migrations` table
//! does not list yet, each in the same transaction as its bookkeeping row. Released files
//! are never edited: a schema change is a new file with the next number, in both folders.

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_initial",
        sql: include_str!("../migrations/sqlite/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "0002_reputation",
        sql: include_str!("../migrations/sqlite/0002_reputation.sql"),
    },
    Migration {
        version: 3,
        name: "0003_cases",
        sql: include_str!("../migrations/sqlite/0003_cases.sql"),
    },
    Migration {
        version: 5,
        name: "0005_accounts",
        sql: include_str!("../migrations/sqlite/0005_accounts.sql"),
    },
    Migration {
        version: 6,
        name: "0006_timeline",
        sql: include_str!("../migrations/sqlite/0006_timeline.sql"),
    },
    Migration {
        version: 7,
        name: "0007_support",
        sql: include_str!("../migrations/sqlite/0007_support.sql"),
    },
    Migration {
        version: 8,
        name: "0008_ingest_speed",
        sql: include_str!("../migrations/sqlite/0008_ingest_speed.sql"),
    },
    Migration {
        version: 9,
        name: "0009_scorecard",
        sql: include_str!("../migrations/sqlite/0009_scorecard.sql"),
    },
    Migration {
        version: 10,
        name: "0010_inbox_by_rating",
        sql: include_str!("../migrations/sqlite/0010_inbox_by_rating.sql"),
    },
    Migration {
        version: 11,
        name: "0011_delivered_by_item",
        sql: include_str!("../migrations/sqlite/0011_delivered_by_item.sql"),
    },
    Migration {
        version: 12,
        name: "0012_activity_buckets",
        sql: include_str!("../migrations/sqlite/0012_activity_buckets.sql"),
    },
    Migration {
        version: 13,
        name: "0013_repeat_buckets",
        sql: include_str!("../migrations/sqlite/0013_repeat_buckets.sql"),
    },
    Migration {
        version: 14,
        name: "0014_batch_aggregates",
        sql: include_str!("../migrations/sqlite/0014_batch_aggregates.sql"),
    },
];

pub(crate) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_initial",
        sql: include_str!("../migrations/postgres/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "0002_reputation",
        sql: include_str!("../migrations/postgres/0002_reputation.sql"),
    },
    Migration {
        version: 3,
        name: "0003_cases",
        sql: include_str!("../migrations/postgres/0003_cases.sql"),
    },
    Migration {
        version: 5,
        name: "0005_accounts",
        sql: include_str!("../migrations/postgres/0005_accounts.sql"),
    },
    Migration {
        version: 6,
        name: "0006_timeline",
        sql: include_str!("../migrations/postgres/0006_timeline.sql"),
    },
    Migration {
        version: 7,
        name: "0007_support",
        sql: include_str!("../migrations/postgres/0007_support.sql"),
    },
    Migration {
        version: 8,
        name: "0008_ingest_speed",
        sql: include_str!("../migrations/postgres/0008_ingest_speed.sql"),
    },
    Migration {
        version: 9,
        name: "0009_scorecard",
        sql: include_str!("../migrations/postgres/0009_scorecard.sql"),
    },
    Migration {
        version: 10,
        name: "0010_inbox_by_rating",
        sql: include_str!("../migrations/postgres/0010_inbox_by_rating.sql"),
    },
    Migration {
        version: 11,
        name: "0011_delivered_by_item",
        sql: include_str!("../migrations/postgres/0011_delivered_by_item.sql"),
    },
    Migration {
        version: 12,
        name: "0012_activity_buckets",
        sql: include_str!("../migrations/postgres/0012_activity_buckets.sql"),
    },
    Migration {
        version: 13,
        name: "0013_repeat_buckets",
        sql: include_str!("../migrations/postgres/0013_repeat_buckets.sql"),
    },
    Migration {
        version: 14,
        name: "0014_batch_aggregates",
        sql: include_str!("../migrations/postgres/0014_batch_aggregates.sql"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_numbered_migrations_in_order() {
        let versions = |list: &[Migration]| -> Vec<(i64, &str)> {
            list.iter()
                .map(|migration| (migration.version, migration.name))
                .collect()
        };
        assert_eq!(versions(SQLITE), versions(POSTGRES));
        // Numbers may skip (parallel work reserves its own), but never repeat or go back.
        for pair in SQLITE.windows(2) {
            assert!(pair[0].version < pair[1].version, "{pair:?}");
        }
        for migration in SQLITE {
            assert!(migration
                .name
                .starts_with(&format!("{:04}_", migration.version)));
        }
    }

    #[test]
    fn both_schemas_create_the_same_tables() {
        let tables = |sql: &str| -> Vec<String> {
            sql.lines()
                .filter_map(|line| line.strip_prefix("CREATE TABLE "))
                .map(|rest| {
                    rest.split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        };
        assert!(!tables(SQLITE[0].sql).is_empty());
        for (sqlite, postgres) in SQLITE.iter().zip(POSTGRES) {
            assert_eq!(tables(sqlite.sql), tables(postgres.sql), "{}", sqlite.name);
        }
    }
}
