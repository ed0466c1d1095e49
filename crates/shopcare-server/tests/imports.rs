//! File imports end to end: generated files, broken rows, strict mode, re-imports, XLSX.

use shopcare_platform_double::{write_files, World, WorldConfig};
use shopcare_server::import::orders::import_orders;
use shopcare_server::import::reviews::{import_reviews, ReviewImportOptions};
use shopcare_store::{open_store, ReviewFilter, SecretKey, Store};
use std::io::Write;
use std::sync::Arc;

async fn fresh_store(dir: &std::path::Path, name: &str) -> Arc<dyn Store> {
    open_store(
        &format!("sqlite://{}", dir.join(name).display()),
        &SecretKey::generate(),
    )
    .await
    .expect("store opens")
}

fn generated(dir: &std::path::Path) -> World {
    let world = World::generate(&WorldConfig {
        shops: 2,
        orders: 400,
        days: 30,
        seed: 9,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
    })
    .expect("world");
    write_files(&world, dir).expect("files");
    world
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_import_reports_bad_lines_keeps_good_ones_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    generated(dir.path());
    let mut text = std::fs::read_to_string(dir.path().join("orders.jsonl")).expect("orders");
    let good_lines = text.lines().count() as u64;
    text.push_str("{not json\n");
    text.push_str("{\"id\":\"1\",\"status\":\"UNPAID\",\"create_time\":1700000000,\"update_time\":1700000000}\n");
    text.push_str("{\"shop_id\":\"9\",\"id\":\"2\",\"status\":\"UNPAID\"}\n");
    let path = dir.path().join("with-bad-lines.jsonl");
    std::fs::write(&path, &text).expect("write");
    let open = || std::io::BufReader::new(std::fs::File::open(&path).expect("open"));

    let strict_store = fresh_store(dir.path(), "strict.db").await;
    let strict = import_orders(&strict_store, open(), true)
        .await
        .expect("strict import runs");
    assert!(strict.rejected);
    assert_eq!(
        strict_store.entity_counts().await.expect("counts").orders,
        0,
        "strict writes nothing"
    );

    let store = fresh_store(dir.path(), "lenient.db").await;
    let report = import_orders(&store, open(), false).await.expect("import");
    assert!(!report.rejected);
    assert_eq!(report.inserted, good_lines);
    let lines: Vec<u64> = report.problems.iter().map(|problem| problem.line).collect();
    assert_eq!(lines, [good_lines + 1, good_lines + 2, good_lines + 3]);
    assert_eq!(report.problems[1].column.as_deref(), Some("shop_id"));
    assert!(
        report.problems[2].message.contains("create_time"),
        "{}",
        report.problems[2].message
    );

    let again = import_orders(&store, open(), false)
        .await
        .expect("re-import");
    assert_eq!(
        (again.inserted, again.updated),
        (0, 0),
        "re-importing changes nothing"
    );
    assert_eq!(
        store.entity_counts().await.expect("counts").orders,
        good_lines
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_reviews_import_once_and_link_to_their_orders() {
    let dir = tempfile::tempdir().expect("dir");
    let world = generated(dir.path());
    let store = fresh_store(dir.path(), "reviews.db").await;
    let orders = std::io::BufReader::new(
        std::fs::File::open(dir.path().join("orders.jsonl")).expect("orders"),
    );
    import_orders(&store, orders, false)
        .await
        .expect("orders import");

    // Drop the product and SKU columns: the import must find them through the order.
    let full = std::fs::read(dir.path().join("reviews.csv")).expect("reviews");
    let mut reader = csv::Reader::from_reader(full.as_slice());
    let mut trimmed = csv::Writer::from_writer(Vec::new());
    trimmed
        .write_record([
            "Review ID",
            "Shop ID",
            "Order ID",
            "Star Rating",
            "Review",
            "Review Time",
        ])
        .expect("header");
    for record in reader.records() {
        let record = record.expect("row");
        trimmed
            .write_record([
                &record[0], &record[1], &record[2], &record[5], &record[6], &record[7],
            ])
            .expect("row");
    }
    let trimmed = trimmed.into_inner().expect("csv");
    let report = import_reviews(
        &store,
        "reviews.csv",
        &trimmed,
        &ReviewImportOptions::default(),
    )
    .await
    .expect("import");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.inserted as usize, world.reviews.len());

    let again = import_reviews(
        &store,
        "reviews.csv",
        &trimmed,
        &ReviewImportOptions::default(),
    )
    .await
    .expect("again");
    assert_eq!((again.inserted, again.updated), (0, 0));

    let reviews = store
        .list_reviews(&ReviewFilter::default())
        .await
        .expect("list");
    assert!(!reviews.is_empty());
    assert!(
        reviews
            .iter()
            .all(|review| review.sku_id.is_some() && review.product_id.is_some()),
        "every review found its SKU through its order"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_xlsx_export_with_indonesian_headers_and_excel_dates_imports() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().expect("dir");
    let store = fresh_store(dir.path(), "xlsx.db").await;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in [
        "ID Ulasan",
        "ID Toko",
        "Bintang",
        "Isi Ulasan",
        "Waktu Ulasan",
    ]
    .iter()
    .enumerate()
    {
        sheet
            .write_string(0, column as u16, *header)
            .expect("header");
    }
    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let rows = [
        ("u1", "5", "Barang bagus, pengiriman cepat"),
        ("u2", "1", "Barang rusak, kecewa"),
        ("u3", "tujuh", "rating bukan angka"),
    ];
    for (index, (id, stars, text)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, *id).expect("id");
        sheet
            .write_string(row, 1, "7494049642642441621")
            .expect("shop");
        match stars.parse::<f64>() {
            Ok(number) => sheet.write_number(row, 2, number).expect("stars"),
            Err(_) => sheet.write_string(row, 2, *stars).expect("stars"),
        };
        sheet.write_string(row, 3, *text).expect("text");
        let when = ExcelDateTime::parse_from_str("2026-05-04 09:30:00").expect("date");
        sheet
            .write_datetime_with_format(row, 4, &when, &date_format)
            .expect("date");
    }
    let bytes = workbook.save_to_buffer().expect("xlsx");
    let path = dir.path().join("ulasan.xlsx");
    std::fs::File::create(&path)
        .expect("file")
        .write_all(&bytes)
        .expect("write");

    let report = import_reviews(
        &store,
        "ulasan.xlsx",
        &bytes,
        &ReviewImportOptions::default(),
    )
    .await
    .expect("import");
    assert_eq!(report.inserted, 2);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(
        report.problems[0].line, 4,
        "row 4 of the sheet (header is row 1)"
    );
    assert_eq!(report.problems[0].column.as_deref(), Some("Bintang"));
    let reviews = store
        .list_reviews(&ReviewFilter::default())
        .await
        .expect("list");
    let negative = reviews
        .iter()
        .find(|review| review.id.as_str() == "u2")
        .expect("u2 stored");
    assert_eq!(negative.rating.stars(), 1);
    assert_eq!(
        negative.created_at.to_rfc3339(),
        "2026-05-04T09:30:00+00:00",
        "unknown shop: read as UTC"
    );
}
