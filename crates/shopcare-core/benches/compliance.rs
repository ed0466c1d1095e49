//! Throughput of the compliance guard over the team's corpus (all kinds, all
//! seven languages). Target: at least 50,000 texts per second on one core.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use shopcare_core::compliance::{check, TextKind};

const CASES: &str = include_str!("../tests/fixtures/compliance/cases.jsonl");

fn corpus() -> Vec<(String, TextKind, Option<String>)> {
    CASES
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("corpus line is JSON");
            (
                value["text"].as_str().expect("text").to_owned(),
                TextKind::parse(value["kind"].as_str().expect("kind")).expect("known kind"),
                value["market"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn bench_check(criterion: &mut Criterion) {
    let texts = corpus();
    // Build every automaton before measuring.
    for (text, kind, market) in &texts {
        black_box(check(text, *kind, market.as_deref()));
    }
    let mut group = criterion.benchmark_group("compliance");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("check_corpus", |bencher| {
        bencher.iter(|| {
            for (text, kind, market) in &texts {
                black_box(check(black_box(text), *kind, market.as_deref()));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
