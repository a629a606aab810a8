//! `vitrina serve`: open storage, seed a first start, listen, shut down gracefully.

use crate::bootstrap::{self, StorageConfig};
use crate::catalog::import::owner_alive;
use crate::domain::tenants::{self, TenantResolver};
use crate::http::{self, AppState, TrustedProxies};
use crate::i18n::{Lang, Message};

use super::ServeArgs;

pub async fn run(storage: StorageConfig, args: &ServeArgs, lang: Lang) -> anyhow::Result<()> {
    let storage = storage.open().await?;
    let seeded = bootstrap::seed_demo_tenant(&storage.db, args.admin_password.clone()).await?;
    if let Some(slug) = &args.default_tenant {
        tenants::find(&storage.db, slug).await?;
    }
    sweep_interrupted(&storage.db).await?;
    let resolver = TenantResolver::new(&args.base_domain, args.default_tenant.clone());
    let shutdown = shutdown_signal()?;
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    let admin_url = format!(
        "http://{}.{}:{}/admin",
        bootstrap::DEMO_SLUG,
        resolver.base_domain(),
        addr.port()
    );
    let metrics_listener = match args.metrics_listen {
        Some(metrics) => {
            let listener = tokio::net::TcpListener::bind(metrics).await?;
            let addr = listener.local_addr()?.to_string();
            println!("{}", Message::MetricsAt { addr }.text(lang));
            Some(listener)
        }
        None => None,
    };
    if let Some(admin) = seeded {
        let message = Message::FirstStart {
            url: admin_url.clone(),
            email: admin.email,
            password: admin.password,
        };
        println!("{}", message.text(lang));
    }
    println!(
        "{}",
        Message::Listening {
            addr: addr.to_string(),
            url: admin_url
        }
        .text(lang)
    );
    let state = AppState::new(
        storage,
        resolver,
        TrustedProxies::new(args.trusted_proxies.clone()),
    );
    if let Some(listener) = metrics_listener {
        let router = http::metrics_router(state.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
    }
    state.queue.start_workers(args.import_workers() as usize);
    crate::alerts::start(&state.db);
    let (db, queue) = (state.db.clone(), state.queue.clone());
    // On SIGTERM the workers hand their jobs back at once, while requests in flight finish.
    let stopping = queue.clone();
    let shutdown = async move {
        shutdown.await;
        stopping.stop(std::time::Duration::from_secs(10)).await;
    };
    http::serve(listener, state, shutdown).await?;
    // What this process leaves (a job a worker could not hand back in time, its imports) is
    // settled now: other instances need not wait for leases and heartbeats to run out.
    crate::queue::take_back(&db, &crate::catalog::import::owner()).await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// What processes of this host that are gone (a crash, a kill -9) left running is taken back
/// now, so the history is right before any client asks. Other hosts' jobs are taken back by
/// the workers when their lease runs out.
async fn sweep_interrupted(db: &vitrina_store::Db) -> anyhow::Result<()> {
    for owner in db.running_owners().await? {
        if !owner_alive(&owner) {
            crate::queue::take_back(db, &owner).await?;
        }
    }
    Ok(())
}

/// A future that completes on Ctrl-C or SIGTERM. The handlers are installed before it returns,
/// so a signal that arrives as soon as the server says it listens is not fatal.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}
