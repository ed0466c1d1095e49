//! The world as files: `shops.json`, `orders.jsonl`, `reviews.csv`, `returns.jsonl`,
//! `cancellations.jsonl`, `conversations.jsonl` — the same objects the API serves, plus
//! `shop_id`. Written in streaming fashion through buffered writers.

use crate::world::World;
use chrono::DateTime;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why writing the files failed, with the file concerned.
#[derive(Debug, thiserror::Error)]
pub enum WriteFilesError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
}

/// How many records of each kind were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WrittenCounts {
    pub shops: usize,
    pub orders: usize,
    pub reviews: usize,
    pub returns: usize,
    pub cancellations: usize,
    pub conversations: usize,
}

#[derive(Serialize)]
struct ShopsFile<'a> {
    as_of: String,
    shops: Vec<ShopEntry<'a>>,
}

#[derive(Serialize)]
struct ShopEntry<'a> {
    id: &'a str,
    name: &'a str,
    region: &'a str,
    currency: &'a str,
    time_zone: &'a str,
}

/// Writes every file of `world` into `out_dir` (created if missing).
pub fn write_files(world: &World, out_dir: &Path) -> Result<WrittenCounts, WriteFilesError> {
    std::fs::create_dir_all(out_dir).map_err(|source| WriteFilesError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let shops = ShopsFile {
        as_of: world.config.as_of.format("%Y-%m-%d").to_string(),
        shops: world
            .shops
            .iter()
            .map(|shop| ShopEntry {
                id: &shop.id,
                name: &shop.name,
                region: shop.region,
                currency: shop.currency,
                time_zone: shop.time_zone,
            })
            .collect(),
    };
    write_with(out_dir, "shops.json", |out| {
        serde_json::to_writer_pretty(&mut *out, &shops).map_err(std::io::Error::from)?;
        out.write_all(b"\n")
    })?;
    write_jsonl(out_dir, "orders.jsonl", world.orders.len(), |index, out| {
        serde_json::to_writer(out, &world.order_view(index, true))
    })?;
    write_jsonl(
        out_dir,
        "returns.jsonl",
        world.returns.len(),
        |index, out| serde_json::to_writer(out, &world.return_view(index, true)),
    )?;
    write_jsonl(
        out_dir,
        "cancellations.jsonl",
        world.cancellations.len(),
        |index, out| serde_json::to_writer(out, &world.cancellation_view(index, true)),
    )?;
    write_jsonl(
        out_dir,
        "conversations.jsonl",
        world.conversations.len(),
        |index, out| serde_json::to_writer(out, &world.conversation_view(index, true)),
    )?;
    write_reviews(world, out_dir)?;
    Ok(WrittenCounts {
        shops: world.shops.len(),
        orders: world.orders.len(),
        reviews: world.reviews.len(),
        returns: world.returns.len(),
        cancellations: world.cancellations.len(),
        conversations: world.conversations.len(),
    })
}

fn write_with(
    out_dir: &Path,
    name: &str,
    body: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), WriteFilesError> {
    let path = out_dir.join(name);
    let result = File::create(&path).and_then(|file| {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        body(&mut out)?;
        out.flush()
    });
    result.map_err(|source| WriteFilesError::Io { path, source })
}

fn write_jsonl(
    out_dir: &Path,
    name: &str,
    count: usize,
    write_one: impl Fn(u32, &mut BufWriter<File>) -> serde_json::Result<()>,
) -> Result<(), WriteFilesError> {
    write_with(out_dir, name, |out| {
        for index in 0..count as u32 {
            write_one(index, out).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })
}

fn write_reviews(world: &World, out_dir: &Path) -> Result<(), WriteFilesError> {
    let path = out_dir.join("reviews.csv");
    let csv_error = |source| WriteFilesError::Csv {
        path: path.clone(),
        source,
    };
    let file = File::create(&path).map_err(|source| WriteFilesError::Io {
        path: path.clone(),
        source,
    })?;
    let mut writer = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
    writer
        .write_record([
            "review_id",
            "shop_id",
            "order_id",
            "product_id",
            "sku_id",
            "rating",
            "text",
            "created_at",
        ])
        .map_err(csv_error)?;
    for (index, review) in world.reviews.iter().enumerate() {
        let order = &world.orders[review.order as usize];
        let sku = world.line_items[review.line_item as usize].sku;
        let product = world.skus[sku as usize].product;
        let created_at = DateTime::from_timestamp(i64::from(review.created_at), 0)
            .expect("u32 seconds are always a valid time")
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        writer
            .write_record([
                World::review_id(index as u32).to_string().as_str(),
                world.shops[order.shop as usize].id.as_str(),
                World::order_id(review.order).to_string().as_str(),
                World::product_id(product).to_string().as_str(),
                World::sku_id(sku).to_string().as_str(),
                review.rating.to_string().as_str(),
                world.review_text(index as u32).as_str(),
                created_at.as_str(),
            ])
            .map_err(csv_error)?;
    }
    writer.flush().map_err(|source| WriteFilesError::Io {
        path: path.clone(),
        source,
    })
}
