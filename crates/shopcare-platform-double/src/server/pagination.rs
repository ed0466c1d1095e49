//! Stateless, stable page tokens over the per-shop sorted indexes.
//!
//! A token carries the sort, the last entry returned (its sort key and index: a keyset
//! cursor) and a hash of the filter. A client restarted mid-sync can continue from a
//! saved token; objects updated meanwhile move to the end of an `update_time` ASC walk
//! and are seen again rather than skipped. Tokens use standard base64, so they contain
//! `+`, `/` and `=` now and then, as the platform's do.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Where a page starts and which way it walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub key: u32,
    pub entry: u32,
}

/// A decoded page token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageToken {
    pub scope: String,
    pub cursor: Cursor,
    pub filter_hash: u64,
    /// `total_count` as counted on the first page, so later pages need not recount.
    pub total_count: u64,
}

impl PageToken {
    pub fn encode(&self) -> String {
        STANDARD.encode(format!(
            "v1|{}|{}|{}|{:016x}|{}",
            self.scope, self.cursor.key, self.cursor.entry, self.filter_hash, self.total_count
        ))
    }

    pub fn decode(token: &str) -> Option<PageToken> {
        let bytes = STANDARD.decode(token.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.split('|');
        if parts.next()? != "v1" {
            return None;
        }
        let scope = parts.next()?.to_string();
        let key = parts.next()?.parse().ok()?;
        let entry = parts.next()?.parse().ok()?;
        let filter_hash = u64::from_str_radix(parts.next()?, 16).ok()?;
        let total_count = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(PageToken {
            scope,
            cursor: Cursor { key, entry },
            filter_hash,
            total_count,
        })
    }
}

/// FNV-1a over the canonical text of a filter.
pub fn filter_hash(canonical: &str) -> u64 {
    canonical
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// One page of an index walk.
pub struct Page {
    pub entries: Vec<u32>,
    /// The cursor to continue from, or `None` on the last page.
    pub next: Option<Cursor>,
    pub total_count: usize,
}

/// What to walk: `[key_ge, key_lt)` on the sort key, in which direction, from where.
pub struct Walk {
    pub key_ge: u32,
    pub key_lt: u32,
    pub ascending: bool,
    pub after: Option<Cursor>,
    /// The total carried by the page token, when continuing a walk.
    pub known_total: Option<usize>,
    pub page_size: usize,
}

/// Walks `index` (sorted by `(key(entry), entry)`), keeping entries that pass `filter`.
/// `filtered` says whether `filter` can reject anything; without it `total_count` is a
/// subtraction, with it a count over the key range.
pub fn walk(
    index: &[u32],
    key: impl Fn(u32) -> u32,
    walk: &Walk,
    filtered: bool,
    filter: impl Fn(u32) -> bool,
) -> Page {
    let low = index.partition_point(|entry| key(*entry) < walk.key_ge);
    let high = index
        .partition_point(|entry| key(*entry) < walk.key_lt)
        .max(low);
    let total_count = if let Some(total) = walk.known_total {
        total
    } else if filtered {
        index[low..high]
            .iter()
            .filter(|entry| filter(**entry))
            .count()
    } else {
        high - low
    };
    let position = |cursor: Cursor| {
        index.partition_point(|entry| (key(*entry), *entry) <= (cursor.key, cursor.entry))
    };
    let mut entries = Vec::with_capacity(walk.page_size.min(high - low));
    let mut more = false;
    if walk.ascending {
        let start = walk.after.map_or(low, position).max(low);
        for entry in &index[start.min(high)..high] {
            if filter(*entry) {
                if entries.len() == walk.page_size {
                    more = true;
                    break;
                }
                entries.push(*entry);
            }
        }
    } else {
        // Entries strictly before the cursor, walked backwards.
        let end = walk
            .after
            .map_or(high, |cursor| {
                index.partition_point(|entry| (key(*entry), *entry) < (cursor.key, cursor.entry))
            })
            .min(high);
        for entry in index[low..end.max(low)].iter().rev() {
            if filter(*entry) {
                if entries.len() == walk.page_size {
                    more = true;
                    break;
                }
                entries.push(*entry);
            }
        }
    }
    let next = if more {
        entries.last().map(|entry| Cursor {
            key: key(*entry),
            entry: *entry,
        })
    } else {
        None
    };
    Page {
        entries,
        next,
        total_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        let token = PageToken {
            scope: "orders:update_time:ASC".to_string(),
            cursor: Cursor {
                key: 1_700_000_000,
                entry: 42,
            },
            filter_hash: 0xdead_beef,
            total_count: 12,
        };
        assert_eq!(PageToken::decode(&token.encode()), Some(token));
        assert_eq!(PageToken::decode("not a token"), None);
    }

    #[test]
    fn walks_cover_every_entry_once_in_both_directions() {
        let keys = [5u32, 1, 3, 3, 9, 7, 3];
        let mut index: Vec<u32> = (0..keys.len() as u32).collect();
        index.sort_by_key(|entry| (keys[*entry as usize], *entry));
        for ascending in [true, false] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let page = walk(
                    &index,
                    |entry| keys[entry as usize],
                    &Walk {
                        key_ge: 0,
                        key_lt: u32::MAX,
                        ascending,
                        after,
                        known_total: None,
                        page_size: 2,
                    },
                    false,
                    |_| true,
                );
                assert_eq!(page.total_count, keys.len());
                seen.extend(page.entries);
                match page.next {
                    Some(cursor) => after = Some(cursor),
                    None => break,
                }
            }
            let mut expected = index.clone();
            if !ascending {
                expected.reverse();
            }
            assert_eq!(seen, expected);
        }
    }

    #[test]
    fn walks_respect_the_key_range_and_the_filter() {
        let keys = [1u32, 2, 3, 4, 5, 6];
        let index: Vec<u32> = (0..6).collect();
        let page = walk(
            &index,
            |entry| keys[entry as usize],
            &Walk {
                key_ge: 2,
                key_lt: 6,
                ascending: true,
                after: None,
                known_total: None,
                page_size: 10,
            },
            true,
            |entry| entry % 2 == 1,
        );
        assert_eq!(page.entries, vec![1, 3]);
        assert_eq!(page.total_count, 2);
        assert!(page.next.is_none());
    }

    #[test]
    fn a_continued_walk_keeps_the_total_of_its_first_page() {
        let index: Vec<u32> = (0..10).collect();
        let page = walk(
            &index,
            |entry| entry,
            &Walk {
                key_ge: 0,
                key_lt: u32::MAX,
                ascending: true,
                after: Some(Cursor { key: 4, entry: 4 }),
                known_total: Some(99),
                page_size: 3,
            },
            true,
            |_| true,
        );
        assert_eq!(page.entries, vec![5, 6, 7]);
        assert_eq!(page.total_count, 99);
    }
}
