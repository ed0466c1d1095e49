//! Classifier throughput on the labelled corpus (target: ≥ 100k reviews/s on one
//! core). The corpus file is read once, outside the measured loop.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shopcare_core::classify::{classify, sentiment_of, ClassifyInput};

fn corpus() -> Vec<ClassifyInput> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/classify/corpus.jsonl"
    );
    let data = std::fs::read_to_string(path).unwrap_or_default();
    data.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|value| ClassifyInput {
            text: value["text"].as_str().unwrap_or_default().to_owned(),
            rating: value["rating"].as_u64().map(|stars| stars as u8),
            market: value["market"].as_str().map(str::to_owned),
            order: None,
        })
        .collect()
}

fn throughput(criterion: &mut Criterion) {
    let inputs = corpus();
    // Build the lexicon automaton before measuring.
    let _ = classify(&ClassifyInput::text("warm-up"));
    let mut group = criterion.benchmark_group("classify");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("corpus", |bencher| {
        bencher.iter(|| {
            for input in &inputs {
                std::hint::black_box(classify(std::hint::black_box(input)));
            }
        })
    });
    group.bench_function("sentiment_of", |bencher| {
        bencher.iter(|| {
            for input in &inputs {
                std::hint::black_box(sentiment_of(std::hint::black_box(&input.text)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
