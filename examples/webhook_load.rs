//! Webhook ingest load for `make bench` (scripts/bench.sh): sends N distinct, correctly signed
//! Standard Webhooks deliveries to `POST /webhooks/dodo` over C concurrent connections, prints
//! sent / accepted / throughput / p50 / p99, then counts the rows this run left in the store's
//! `webhook_events` table to show that none was lost or stored twice.
//!
//! ```sh
//! cargo run --release --example webhook_load --features ssr -- \
//!   --url http://127.0.0.1:3300/webhooks/dodo --secret whsec_… \
//!   --payment target/bench/payment.json --database-url sqlite://target/bench/app.db \
//!   -n 5000 -c 8
//! ```
//!
//! `--payment` is a Dodo `Payment` as JSON (the script saves one from the sandbox's
//! `GET /payments/{id}`); every webhook is a `payment.succeeded` for a copy of it with its own
//! payment id nobody knows, which the server stores, reads and applies (to no attempt).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

struct Args {
    url: String,
    secret: String,
    payment: Value,
    database_url: Option<String>,
    count: usize,
    concurrency: usize,
    run: String,
}

fn usage() -> ! {
    eprintln!(
        "usage: webhook_load --url URL --secret whsec_… --payment FILE.json \
         [--database-url URL] [-n COUNT] [-c CONNECTIONS] [--run ID]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut url = None;
    let mut secret = None;
    let mut payment = None;
    let mut database_url = None;
    let mut count = 2000;
    let mut concurrency = 8;
    let mut run = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--url" => url = Some(value()),
            "--secret" => secret = Some(value()),
            "--payment" => {
                let path = value();
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                    eprintln!("webhook_load: cannot read {path}: {e}");
                    std::process::exit(2)
                });
                payment = Some(serde_json::from_str::<Value>(&text).unwrap_or_else(|e| {
                    eprintln!("webhook_load: {path} is not JSON: {e}");
                    std::process::exit(2)
                }));
            }
            "--database-url" => database_url = Some(value()),
            "-n" | "--count" => count = value().parse().unwrap_or_else(|_| usage()),
            "-c" | "--concurrency" => concurrency = value().parse().unwrap_or_else(|_| usage()),
            "--run" => run = Some(value()),
            _ => usage(),
        }
    }
    let (Some(url), Some(secret), Some(payment)) = (url, secret, payment) else {
        usage()
    };
    let run = run.unwrap_or_else(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("{:x}", nanos % (1 << 48))
    });
    if !run.chars().all(|c| c.is_ascii_alphanumeric()) {
        eprintln!("webhook_load: --run must be alphanumeric");
        std::process::exit(2)
    }
    Args {
        url,
        secret,
        payment,
        database_url,
        count,
        concurrency: concurrency.max(1),
        run,
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The `i`-th delivery of this run: its webhook id, timestamp and signed body.
fn delivery(
    args: &Args,
    signer: &standardwebhooks::Webhook,
    i: usize,
) -> (String, i64, String, String) {
    let id = format!("msg_bench_{}_{i}", args.run);
    let mut payment = args.payment.clone();
    payment["payment_id"] = json!(format!("pay_bench_{}_{i}", args.run));
    payment["payload_type"] = json!("Payment");
    let body = json!({
        "business_id": payment.get("business_id").cloned().unwrap_or(json!("bus_demo")),
        "type": "payment.succeeded",
        "timestamp": payment.get("created_at").cloned().unwrap_or(json!("2026-01-01T00:00:00Z")),
        "data": payment,
    })
    .to_string();
    let ts = now_secs();
    let signature = signer
        .sign(&id, ts, body.as_bytes())
        .expect("signing a webhook");
    (id, ts, signature, body)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Rows of this run in `webhook_events`: (rows, distinct ids, processed rows).
async fn count_rows(database_url: &str, run: &str) -> Result<(i64, i64, i64), sqlx::Error> {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(database_url)
        .await?;
    // `run` is alphanumeric (checked), so the pattern can be inlined for both databases.
    let sql = format!(
        "SELECT COUNT(*), COUNT(DISTINCT webhook_id), \
         COUNT(processed_at) FROM webhook_events WHERE webhook_id LIKE 'msg_bench_{run}_%'"
    );
    let row = sqlx::query(&sql).fetch_one(&pool).await?;
    let counts = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    pool.close().await;
    Ok(counts)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Arc::new(parse_args());
    let signer = Arc::new(
        standardwebhooks::Webhook::new(&args.secret).unwrap_or_else(|e| {
            eprintln!("webhook_load: bad --secret: {e:?}");
            std::process::exit(2)
        }),
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client");

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency {
        let (args, signer, client, next) =
            (args.clone(), signer.clone(), client.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut statuses: Vec<u16> = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= args.count {
                    break;
                }
                let (id, ts, signature, body) = delivery(&args, &signer, i);
                let sent = Instant::now();
                let answer = client
                    .post(&args.url)
                    .header("content-type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", ts.to_string())
                    .header("webhook-signature", signature)
                    .body(body)
                    .send()
                    .await;
                let status = match answer {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let _ = response.bytes().await;
                        status
                    }
                    Err(_) => 0,
                };
                latencies.push(sent.elapsed());
                statuses.push(status);
            }
            (latencies, statuses)
        }));
    }
    let mut latencies = Vec::with_capacity(args.count);
    let mut statuses = Vec::with_capacity(args.count);
    for worker in workers {
        let (l, s) = worker.await.expect("a load worker");
        latencies.extend(l);
        statuses.extend(s);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let accepted = statuses.iter().filter(|&&s| s == 200).count();
    let mut others: Vec<(u16, usize)> = Vec::new();
    for &s in statuses.iter().filter(|&&s| s != 200) {
        match others.iter_mut().find(|(code, _)| *code == s) {
            Some((_, n)) => *n += 1,
            None => others.push((s, 1)),
        }
    }
    let throughput = statuses.len() as f64 / elapsed.as_secs_f64();
    println!(
        "sent={} accepted={} throughput={:.0}/s p50={:.1}ms p99={:.1}ms connections={} run={}",
        statuses.len(),
        accepted,
        throughput,
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        args.concurrency,
        args.run
    );
    if !others.is_empty() {
        let list: Vec<String> = others
            .iter()
            .map(|(code, n)| {
                format!(
                    "{n}×{}",
                    if *code == 0 {
                        "error".into()
                    } else {
                        code.to_string()
                    }
                )
            })
            .collect();
        println!("not accepted: {}", list.join(", "));
    }
    let mut ok = accepted == args.count;
    if let Some(url) = &args.database_url {
        match count_rows(url, &args.run).await {
            Ok((rows, distinct, processed)) => {
                println!("stored rows={rows} distinct={distinct} processed={processed}");
                ok &= rows == args.count as i64 && distinct == rows && processed == rows;
            }
            Err(e) => {
                eprintln!("webhook_load: counting rows: {e}");
                ok = false;
            }
        }
    }
    if ok {
        println!("check: every webhook stored exactly once");
        std::process::ExitCode::SUCCESS
    } else {
        println!("check: FAILED (lost, refused or duplicated webhooks)");
        std::process::ExitCode::FAILURE
    }
}
