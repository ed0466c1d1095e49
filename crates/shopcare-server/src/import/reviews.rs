//! Review exports (CSV or XLSX) into the store.
//!
//! Seller Center exports differ by market and over time, so columns are found by
//! header: each field has a list of spellings in the buyers' languages, compared after
//! folding case, spaces and punctuation. Dates come in many shapes; naive ones are read
//! in the shop's time zone.

use super::{ImportError, ImportReport, RowProblem};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};
use shopcare_core::{OrderId, ProductId, Rating, Review, ReviewId, ShopId, SkuId};
use shopcare_store::Store;
use std::collections::HashMap;
use std::sync::Arc;

/// A review row's fields, as found in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewField {
    ReviewId,
    ShopId,
    OrderId,
    ProductId,
    SkuId,
    Rating,
    Text,
    CreatedAt,
}

/// Header spellings per field, compared after [`fold_header`] on both sides.
const HEADER_SPELLINGS: &[(ReviewField, &[&str])] = &[
    (
        ReviewField::ReviewId,
        &[
            "reviewid",
            "ratingid",
            "commentid",
            "idulasan",
            "idreview",
            "รหัสรีวิว",
            "mãđánhgiá",
            "madanhgia",
            "评价id",
            "评论id",
            "idreseña",
            "idresena",
        ],
    ),
    (
        ReviewField::ShopId,
        &[
            "shopid",
            "storeid",
            "idtoko",
            "idkedai",
            "รหัสร้านค้า",
            "mãcửahàng",
            "macuahang",
            "店铺id",
            "idtienda",
        ],
    ),
    (
        ReviewField::OrderId,
        &[
            "orderid",
            "ordernumber",
            "orderno",
            "idpesanan",
            "nomorpesanan",
            "nopesanan",
            "หมายเลขคำสั่งซื้อ",
            "รหัสคำสั่งซื้อ",
            "mãđơnhàng",
            "madonhang",
            "订单号",
            "订单id",
            "iddelpedido",
            "numerodepedido",
            "númerodepedido",
            "pedido",
        ],
    ),
    (
        ReviewField::ProductId,
        &[
            "productid",
            "idproduk",
            "รหัสสินค้า",
            "mãsảnphẩm",
            "masanpham",
            "商品id",
            "产品id",
            "iddelproducto",
            "idproducto",
        ],
    ),
    (
        ReviewField::SkuId,
        &[
            "skuid",
            "variantid",
            "idsku",
            "idvarian",
            "รหัสsku",
            "mãsku",
            "masku",
            "skuid号",
            "规格id",
        ],
    ),
    (
        ReviewField::Rating,
        &[
            "rating",
            "stars",
            "starrating",
            "score",
            "productrating",
            "bintang",
            "penilaian",
            "nilai",
            "penarafan",
            "คะแนน",
            "ดาว",
            "sốsao",
            "sosao",
            "đánhgiá",
            "danhgia",
            "评分",
            "星级",
            "calificación",
            "calificacion",
            "estrellas",
            "puntuación",
            "puntuacion",
        ],
    ),
    (
        ReviewField::Text,
        &[
            "text",
            "review",
            "reviewtext",
            "reviewcontent",
            "comment",
            "comments",
            "content",
            "ulasan",
            "isiulasan",
            "komentar",
            "ulasanpembeli",
            "ความคิดเห็น",
            "รีวิว",
            "nộidung",
            "noidung",
            "nộidungđánhgiá",
            "noidungdanhgia",
            "bìnhluận",
            "binhluan",
            "评价内容",
            "评论",
            "评价",
            "reseña",
            "resena",
            "comentario",
            "opinión",
            "opinion",
        ],
    ),
    (
        ReviewField::CreatedAt,
        &[
            "createdat",
            "created",
            "reviewtime",
            "reviewdate",
            "date",
            "time",
            "submittedat",
            "waktu",
            "tanggal",
            "waktuulasan",
            "tarikh",
            "วันที่",
            "เวลา",
            "ngày",
            "ngay",
            "thờigian",
            "thoigian",
            "时间",
            "评价时间",
            "日期",
            "fecha",
            "fechadecreación",
            "fechadecreacion",
        ],
    ),
];

/// Lower-cases and drops spaces, punctuation and a BOM, so `Order ID`, `order_id` and
/// `ORDER-ID` all read as `orderid`.
pub fn fold_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Finds which column holds which field. Unknown columns are ignored.
pub fn map_headers(headers: &[String]) -> HashMap<ReviewField, usize> {
    let mut mapping = HashMap::new();
    for (index, header) in headers.iter().enumerate() {
        let folded = fold_header(header);
        if let Some((field, _)) = HEADER_SPELLINGS.iter().find(|(_, spellings)| {
            spellings
                .iter()
                .any(|spelling| fold_header(spelling) == folded)
        }) {
            mapping.entry(*field).or_insert(index);
        }
    }
    mapping
}

/// Options of `shopcare import reviews`.
#[derive(Debug, Clone, Default)]
pub struct ReviewImportOptions {
    /// Refuse the whole file when any row is bad.
    pub strict: bool,
    /// Shop for files without a shop column.
    pub default_shop: Option<ShopId>,
}

/// A parsed review row before it is linked to orders and written.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub line: u64,
    pub review_id: Option<String>,
    pub shop_id: ShopId,
    pub order_id: Option<String>,
    pub product_id: Option<String>,
    pub sku_id: Option<String>,
    pub rating: Rating,
    pub text: String,
    pub created_at: RowTime,
}

/// A row's time: exact when the file carries an offset, local when it does not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowTime {
    Utc(DateTime<Utc>),
    Local(NaiveDateTime),
}

impl RowTime {
    fn resolve(self, zone: Tz) -> DateTime<Utc> {
        match self {
            RowTime::Utc(instant) => instant,
            // In a DST gap the earliest valid reading wins; in an overlap, the first.
            RowTime::Local(local) => zone
                .from_local_datetime(&local)
                .earliest()
                .unwrap_or_else(|| Utc.from_utc_datetime(&local).with_timezone(&zone))
                .with_timezone(&Utc),
        }
    }
}

/// Reads the time formats seen in exports: RFC 3339, ISO with or without `T`,
/// day-first and year-first with `/`, `-` or `.`, date only, and Unix seconds.
pub fn parse_time(value: &str) -> Option<RowTime> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return Some(RowTime::Utc(instant.with_timezone(&Utc)));
    }
    if let Ok(instant) = DateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S %z") {
        return Some(RowTime::Utc(instant.with_timezone(&Utc)));
    }
    if value.len() >= 9 && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = value.parse().ok()?;
        return DateTime::from_timestamp(seconds, 0).map(RowTime::Utc);
    }
    const DATE_TIMES: &[&str] = &[
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d-%m-%Y %H:%M:%S",
        "%d-%m-%Y %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ];
    for format in DATE_TIMES {
        if let Ok(local) = NaiveDateTime::parse_from_str(value, format) {
            return Some(RowTime::Local(local));
        }
    }
    const DATES: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"];
    for format in DATES {
        if let Ok(date) = NaiveDate::parse_from_str(value, format) {
            return Some(RowTime::Local(date.and_hms_opt(0, 0, 0)?));
        }
    }
    None
}

/// Reads a rating written as `4`, `4.0`, `4 stars`, `★★★★` or `4/5`.
pub fn parse_rating(value: &str) -> Option<Rating> {
    let value = value.trim();
    let stars = value.chars().filter(|c| *c == '★' || *c == '⭐').count();
    if stars > 0 {
        return Rating::new(stars as i64).ok();
    }
    let number: String = value
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let parsed: f64 = number.parse().ok()?;
    if parsed.fract() != 0.0 {
        return None;
    }
    Rating::new(parsed as i64).ok()
}

/// Turns raw rows (header first) into review rows and problems. `first_line` gives
/// each row's line number in the file.
pub fn parse_rows(
    headers: &[String],
    rows: impl Iterator<Item = (u64, Vec<String>)>,
    options: &ReviewImportOptions,
) -> Result<(Vec<ReviewRow>, Vec<RowProblem>), ImportError> {
    let mapping = map_headers(headers);
    for required in [ReviewField::Rating, ReviewField::CreatedAt] {
        if !mapping.contains_key(&required) {
            return Err(ImportError::Format(format!(
                "no {required:?} column found among the headers {headers:?}"
            )));
        }
    }
    if !mapping.contains_key(&ReviewField::ShopId) && options.default_shop.is_none() {
        return Err(ImportError::Format(
            "the file has no shop column: pass --shop ID".to_owned(),
        ));
    }
    let header_of = |field: ReviewField| mapping.get(&field).map(|&index| headers[index].clone());
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for (line, row) in rows {
        let cell = |field: ReviewField| -> Option<&str> {
            mapping
                .get(&field)
                .and_then(|&index| row.get(index))
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
        };
        let problem = |field: ReviewField, message: String| RowProblem {
            line,
            column: header_of(field),
            message,
        };
        if row.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        let rating = match cell(ReviewField::Rating).map(|raw| (raw, parse_rating(raw))) {
            Some((_, Some(rating))) => rating,
            Some((raw, None)) => {
                problems.push(problem(
                    ReviewField::Rating,
                    format!("{raw:?} is not a 1–5 star rating"),
                ));
                continue;
            }
            None => {
                problems.push(problem(ReviewField::Rating, "missing rating".to_owned()));
                continue;
            }
        };
        let created_at = match cell(ReviewField::CreatedAt).map(|raw| (raw, parse_time(raw))) {
            Some((_, Some(time))) => time,
            Some((raw, None)) => {
                problems.push(problem(
                    ReviewField::CreatedAt,
                    format!("{raw:?} is not a date or time"),
                ));
                continue;
            }
            None => {
                problems.push(problem(ReviewField::CreatedAt, "missing date".to_owned()));
                continue;
            }
        };
        let shop_id = match cell(ReviewField::ShopId) {
            Some(id) => ShopId::new(id),
            None => match &options.default_shop {
                Some(shop) => shop.clone(),
                None => {
                    problems.push(problem(ReviewField::ShopId, "missing shop id".to_owned()));
                    continue;
                }
            },
        };
        parsed.push(ReviewRow {
            line,
            review_id: cell(ReviewField::ReviewId).map(str::to_owned),
            shop_id,
            order_id: cell(ReviewField::OrderId).map(str::to_owned),
            product_id: cell(ReviewField::ProductId).map(str::to_owned),
            sku_id: cell(ReviewField::SkuId).map(str::to_owned),
            rating,
            text: cell(ReviewField::Text).unwrap_or_default().to_owned(),
            created_at,
        });
    }
    Ok((parsed, problems))
}

/// A table read from an export: the header row, the data rows with their 1-based
/// line numbers, and the rows that could not be read at all.
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
    pub problems: Vec<RowProblem>,
}

/// Reads a CSV export: UTF-8 with or without BOM, quoted fields with newlines.
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, ImportError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|error| ImportError::Format(format!("cannot read the CSV header: {error}")))?
        .iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => rows.push((line, record.iter().map(str::to_owned).collect())),
            Err(error) => {
                let line = error.position().map_or(line, |position| position.line());
                let message = match error.kind() {
                    csv::ErrorKind::Utf8 { .. } => "row is not valid UTF-8".to_owned(),
                    _ => error.to_string(),
                };
                problems.push(RowProblem {
                    line,
                    column: None,
                    message,
                });
                // A broken row may leave the reader mid-record; stop rather than misread the rest.
                if !matches!(error.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
    Ok(Sheet {
        headers,
        rows,
        problems,
    })
}

/// Reads the first worksheet of an XLSX export. Dates stored as Excel serials
/// become `YYYY-MM-DD HH:MM:SS` text read in the shop's zone.
pub fn read_xlsx(bytes: &[u8]) -> Result<Sheet, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|error| ImportError::Format(format!("not a readable XLSX file: {error}")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| ImportError::Format("the workbook has no sheet".to_owned()))?
        .map_err(|error| ImportError::Format(format!("cannot read the first sheet: {error}")))?;
    let cell_text = |cell: &Data| -> String {
        match cell {
            Data::Empty => String::new(),
            Data::String(text) => text.clone(),
            Data::Float(number) if number.fract() == 0.0 => format!("{number:.0}"),
            Data::Float(number) => number.to_string(),
            Data::Int(number) => number.to_string(),
            Data::Bool(flag) => flag.to_string(),
            Data::DateTime(date) => date
                .as_datetime()
                .map(|time| time.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
            Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
            Data::Error(error) => format!("#{error:?}"),
        }
    };
    let mut rows = range.rows();
    let headers = rows
        .next()
        .ok_or_else(|| ImportError::Format("the sheet is empty".to_owned()))?
        .iter()
        .map(cell_text)
        .collect();
    let body = rows
        .enumerate()
        .map(|(index, row)| (index as u64 + 2, row.iter().map(cell_text).collect()))
        .collect();
    Ok(Sheet {
        headers,
        rows: body,
        problems: Vec::new(),
    })
}

/// A stable id for rows without one, so re-imports stay idempotent.
fn derived_review_id(row: &ReviewRow, created_at: DateTime<Utc>) -> String {
    let mut hasher = Sha256::new();
    for part in [
        row.shop_id.as_str(),
        row.order_id.as_deref().unwrap_or(""),
        row.sku_id.as_deref().unwrap_or(""),
        &created_at.timestamp().to_string(),
        &row.text,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    format!("import-{}", &hex::encode(hasher.finalize())[..24])
}

/// Imports a review export from `bytes` (`file_name` tells CSV from XLSX when the
/// content does not).
pub async fn import_reviews(
    store: &Arc<dyn Store>,
    file_name: &str,
    bytes: &[u8],
    options: &ReviewImportOptions,
) -> Result<ImportReport, ImportError> {
    let is_xlsx =
        bytes.starts_with(b"PK\x03\x04") || file_name.to_ascii_lowercase().ends_with(".xlsx");
    let Sheet {
        headers,
        rows,
        mut problems,
    } = if is_xlsx {
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    let rows_read = rows.len() as u64;
    let (parsed, row_problems) = parse_rows(&headers, rows.into_iter(), options)?;
    problems.extend(row_problems);
    problems.sort_by_key(|problem| problem.line);

    let mut report = ImportReport {
        rows_read,
        problems,
        ..ImportReport::default()
    };
    if options.strict && !report.problems.is_empty() {
        report.rejected = true;
        return Ok(report);
    }

    let shops: HashMap<ShopId, Tz> = store
        .list_shops()
        .await?
        .into_iter()
        .map(|shop| (shop.id, shop.time_zone))
        .collect();
    let mut records = Vec::with_capacity(parsed.len());
    for row in parsed {
        let zone = shops.get(&row.shop_id).copied().unwrap_or(Tz::UTC);
        let created_at = row.created_at.resolve(zone);
        let (mut product_id, mut sku_id) = (row.product_id.clone(), row.sku_id.clone());
        if let Some(order_id) = &row.order_id {
            // Link to the order's item when the export leaves product or SKU out.
            if product_id.is_none() || sku_id.is_none() {
                if let Some(order) = store.get_order(&OrderId::new(order_id.as_str())).await? {
                    let item = order.line_items.iter().find(|item| {
                        sku_id
                            .as_deref()
                            .is_none_or(|sku| item.sku_id.as_str() == sku)
                            && product_id
                                .as_deref()
                                .is_none_or(|product| item.product_id.as_str() == product)
                    });
                    if let Some(item) = item {
                        product_id.get_or_insert_with(|| item.product_id.to_string());
                        sku_id.get_or_insert_with(|| item.sku_id.to_string());
                    }
                }
            }
        }
        let review_id = row
            .review_id
            .clone()
            .unwrap_or_else(|| derived_review_id(&row, created_at));
        records.push(Review {
            id: ReviewId::new(review_id),
            shop_id: row.shop_id,
            order_id: row.order_id.map(OrderId::new),
            product_id: product_id.map(ProductId::new),
            sku_id: sku_id.map(SkuId::new),
            rating: row.rating,
            text: row.text,
            created_at,
            source: if is_xlsx { "xlsx" } else { "csv" }.to_owned(),
        });
    }
    for batch in records.chunks(5_000) {
        // The shared review path: upsert, classify, aggregate, alert.
        let outcome = crate::reviews::ingest_reviews(store, batch, Utc::now()).await?;
        report.inserted += outcome.inserted;
        report.updated += outcome.updated;
        report.unchanged += outcome.unchanged;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| value.to_string()).collect()
    }

    #[test]
    fn headers_map_across_spellings_and_languages() {
        let headers = strings(&[
            "\u{feff}Order ID",
            "Bintang",
            "Isi Ulasan",
            "Tanggal",
            "Shop_Id",
        ]);
        let mapping = map_headers(&headers);
        assert_eq!(mapping[&ReviewField::OrderId], 0);
        assert_eq!(mapping[&ReviewField::Rating], 1);
        assert_eq!(mapping[&ReviewField::Text], 2);
        assert_eq!(mapping[&ReviewField::CreatedAt], 3);
        assert_eq!(mapping[&ReviewField::ShopId], 4);
        let thai = map_headers(&strings(&["หมายเลขคำสั่งซื้อ", "คะแนน", "ความคิดเห็น", "วันที่"]));
        assert_eq!(thai.len(), 4);
    }

    #[test]
    fn times_in_many_shapes() {
        let exact = parse_time("2026-03-01T10:00:00+07:00").unwrap();
        assert_eq!(exact, RowTime::Utc("2026-03-01T03:00:00Z".parse().unwrap()));
        for (text, expected) in [
            ("2026-03-01 10:00:00", "2026-03-01T10:00:00"),
            ("2026/03/01 10:00", "2026-03-01T10:00:00"),
            ("01/03/2026 10:00", "2026-03-01T10:00:00"),
            ("01.03.2026", "2026-03-01T00:00:00"),
        ] {
            let local: NaiveDateTime = expected.parse().unwrap();
            assert_eq!(parse_time(text), Some(RowTime::Local(local)), "{text}");
        }
        assert_eq!(parse_time("yesterday"), None);
        // Local times are read in the shop's zone.
        let local = parse_time("2026-03-01 10:00:00").unwrap();
        assert_eq!(
            local.resolve(chrono_tz::Asia::Bangkok).to_rfc3339(),
            "2026-03-01T03:00:00+00:00"
        );
    }

    #[test]
    fn ratings_in_many_shapes() {
        assert_eq!(parse_rating("4").map(Rating::stars), Some(4));
        assert_eq!(parse_rating("5.0").map(Rating::stars), Some(5));
        assert_eq!(parse_rating("★★").map(Rating::stars), Some(2));
        assert_eq!(parse_rating("3/5").map(Rating::stars), Some(3));
        assert_eq!(parse_rating("4.5"), None);
        assert_eq!(parse_rating("6"), None);
        assert_eq!(parse_rating("great"), None);
    }

    #[test]
    fn bad_rows_are_reported_with_line_and_column_and_good_rows_kept() {
        let csv = "\u{feff}review_id,shop_id,rating,text,created_at\n\
                   r1,s1,5,\"fine, \"\"really\"\"\nsecond line\",2026-01-02\n\
                   r2,s1,seven,bad rating,2026-01-02\n\
                   r3,s1,1,bad date,someday\n\
                   r4,s1,2,ok row,2026-01-03 08:00\n";
        let Sheet {
            headers,
            rows,
            problems,
        } = read_csv(csv.as_bytes()).unwrap();
        assert!(problems.is_empty());
        let (parsed, problems) =
            parse_rows(&headers, rows.into_iter(), &ReviewImportOptions::default()).unwrap();
        assert_eq!(
            parsed
                .iter()
                .map(|row| row.review_id.clone().unwrap())
                .collect::<Vec<_>>(),
            ["r1", "r4"]
        );
        assert_eq!(parsed[0].text, "fine, \"really\"\nsecond line");
        assert_eq!(problems.len(), 2);
        assert_eq!(
            (problems[0].line, problems[0].column.as_deref()),
            (4, Some("rating"))
        );
        assert_eq!(
            (problems[1].line, problems[1].column.as_deref()),
            (5, Some("created_at"))
        );
    }

    #[test]
    fn a_file_without_rating_or_shop_is_refused_as_a_whole() {
        let headers = strings(&["review_id", "text", "created_at", "shop_id"]);
        assert!(parse_rows(
            &headers,
            std::iter::empty(),
            &ReviewImportOptions::default()
        )
        .is_err());
        let headers = strings(&["rating", "created_at"]);
        assert!(parse_rows(
            &headers,
            std::iter::empty(),
            &ReviewImportOptions::default()
        )
        .is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_csv_text_reads_without_panicking(text in "\\PC{0,300}") {
            let bytes = format!("rating,created_at,shop_id,text\n{text}");
            if let Ok(Sheet { headers, rows, .. }) = read_csv(bytes.as_bytes()) {
                let _ = parse_rows(&headers, rows.into_iter(), &ReviewImportOptions::default());
            }
        }

        #[test]
        fn written_rows_read_back_identically(texts in proptest::collection::vec("\\PC{0,40}", 1..20), stars in proptest::collection::vec(1i64..=5, 20)) {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["review_id", "shop_id", "rating", "text", "created_at"]).unwrap();
            for (index, text) in texts.iter().enumerate() {
                writer.write_record([format!("r{index}"), "s".into(), stars[index].to_string(), text.clone(), "2026-01-02T03:04:05Z".into()]).unwrap();
            }
            let bytes = writer.into_inner().unwrap();
            let Sheet {
                headers,
                rows,
                problems,
            } = read_csv(&bytes).unwrap();
            proptest::prop_assert!(problems.is_empty());
            let (parsed, problems) = parse_rows(&headers, rows.into_iter(), &ReviewImportOptions::default()).unwrap();
            proptest::prop_assert!(problems.is_empty());
            proptest::prop_assert_eq!(parsed.len(), texts.len());
            for (index, (row, text)) in parsed.iter().zip(&texts).enumerate() {
                proptest::prop_assert_eq!(row.text.as_str(), text.trim());
                proptest::prop_assert_eq!(row.rating.stars() as i64, stars[index]);
            }
        }
    }
}
