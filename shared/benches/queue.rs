//! Benchmark (not a test) of the agents' queue on the local store: 100,000
//! submitted cases spread over 10 préfectures and every status, then the
//! first page (25 cases) of a queue, a search by surname, a lookup by
//! reference and the counts per status, each timed over many runs.
//!
//!   cargo bench -p sejour --bench queue            (or `make bench-queue`)
//!   SEJOUR_BENCH_CASES=20000 cargo bench -p sejour --bench queue

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use sejour::adapters::SystemClock;
use sejour::adapters::local::LocalRuntime;
use sejour::config::Config;
use sejour::domain::application::lifecycle::Status;
use sejour::domain::application::{Application, Reference};
use sejour::domain::civil_status::search_key;
use sejour::domain::prefecture::PrefectureCode;
use sejour::ports::{QueueCursor, QueueFilter};
use serde_json::json;

const PREFECTURES: [&str; 10] = ["69", "75", "13", "33", "31", "59", "67", "06", "44", "34"];
const SURNAMES: [&str; 12] = [
    "Diallo", "Nguyễn", "Traoré", "Li", "Pérez", "N'Diaye", "Sow", "Kouassi", "Benali", "Silva", "Wang", "Ahmed",
];

fn case(i: usize) -> Application {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap() + chrono::Duration::minutes(i as i64);
    let surname = format!("{}{}", SURNAMES[i % SURNAMES.len()], i % 997);
    serde_json::from_value(json!({
        "id": uuid::Uuid::now_v7(),
        "reference": format!("SEJ-2026-{:08}", i),
        "applicant": uuid::Uuid::now_v7(),
        // Every status but the draft.
        "status": Status::ALL[1 + (i / PREFECTURES.len()) % (Status::ALL.len() - 1)],
        "version": 3,
        "reason": "studies",
        "procedure": "renewal",
        "record": {"kind": "permit", "number": format!("PB{i:09}")},
        "civil_status": {
            "surname": surname, "given_names": "Awa", "sex": "F", "birth_date": "2003-04-05",
            "birth_place": "Dakar", "birth_country": "SEN", "nationality": "SEN"
        },
        "foreigner_number": null,
        "personal": {}, "studies": {}, "resources": {},
        "ephoto_code": null, "validated": [], "comment": null,
        "prefecture": PREFECTURES[i % PREFECTURES.len()],
        "created_at": at, "updated_at": at, "submitted_at": at
    }))
    .expect("a valid case")
}

/// Median, 95th percentile and maximum of `runs` runs of `f`.
async fn time<F, Fut>(what: &str, runs: usize, mut f: F)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut found = 0;
    for i in 0..runs {
        let start = Instant::now();
        found += f(i).await;
        times.push(start.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{what:<44} median {:>8.3} ms   p95 {:>8.3} ms   max {:>8.3} ms   ({} found per run)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        found / runs
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cases: usize = std::env::var("SEJOUR_BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("sejour-bench-queue-{}", uuid::Uuid::new_v4()));
    let runtime = LocalRuntime::open(&dir, Config::local("http://127.0.0.1:9"), Arc::new(SystemClock)).await?;
    let applications = runtime.app.ports.applications.clone();

    let start = Instant::now();
    for i in 0..cases {
        applications.create(&case(i)).await?;
    }
    println!(
        "{cases} cases in {} préfectures written in {:.1} s",
        PREFECTURES.len(),
        start.elapsed().as_secs_f64()
    );

    let lyon = PrefectureCode::parse("69").expect("a préfecture");
    let runs = 500;
    time("first page of a queue (25, status submitted)", runs, |_| {
        let (applications, lyon) = (applications.clone(), lyon.clone());
        async move {
            let filter = QueueFilter::Status(Status::Submitted);
            applications
                .queue(&lyon, &filter, None, 25)
                .await
                .unwrap()
                .applications
                .len()
        }
    })
    .await;
    time("second page of a queue (after a cursor)", runs, |_| {
        let (applications, lyon) = (applications.clone(), lyon.clone());
        async move {
            let filter = QueueFilter::Status(Status::UnderReview);
            let first = applications.queue(&lyon, &filter, None, 25).await.unwrap();
            let after: Option<QueueCursor> = first.next;
            applications
                .queue(&lyon, &filter, after.as_ref(), 25)
                .await
                .unwrap()
                .applications
                .len()
        }
    })
    .await;
    time("search by surname prefix (\"PÉR\")", runs, |_| {
        let (applications, lyon) = (applications.clone(), lyon.clone());
        async move {
            let filter = QueueFilter::Surname(search_key("PÉR"));
            applications
                .queue(&lyon, &filter, None, 25)
                .await
                .unwrap()
                .applications
                .len()
        }
    })
    .await;
    time("lookup by reference", runs, |i| {
        let (applications, lyon) = (applications.clone(), lyon.clone());
        async move {
            // Every tenth case is Lyon's.
            let reference = Reference(format!("SEJ-2026-{:08}", (i * 10) % cases));
            applications
                .find_reference(&lyon, &reference)
                .await
                .unwrap()
                .into_iter()
                .count()
        }
    })
    .await;
    time("counts per status", runs, |_| {
        let (applications, lyon) = (applications.clone(), lyon.clone());
        async move { applications.counts(&lyon).await.unwrap().len() }
    })
    .await;
    drop(runtime);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
