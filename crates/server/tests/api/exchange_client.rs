//! An accounting system as the tests drive it: one typed client of a shop's exchange endpoint,
//! instead of a request built by hand in every test file. MoySklad's shape is `.basic(…)` (Basic
//! on every call) plus the session cookie `sign_in` keeps; 1C's is `.like_1c()` with the cookie or
//! `sessid` alone.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::helpers::TestApp;

/// The exchange endpoint's path.
pub const EXCHANGE_PATH: &str = "/rest/integration/1c_exchange.php";

/// A Basic `Authorization` header.
pub fn basic(login: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{login}:{password}")))
}

/// A client of one shop's exchange endpoint.
#[derive(Debug, Clone)]
pub struct ExchangeClient {
    http: reqwest::Client,
    server: String,
    host: String,
    authorization: Option<String>,
    cookie: Option<String>,
    user_agent: Option<&'static str>,
}

/// What one call answered.
#[derive(Debug, Clone)]
pub struct ExchangeAnswer {
    pub status: u16,
    pub content_type: String,
    pub content_length: Option<usize>,
    pub body: Vec<u8>,
}

impl ExchangeAnswer {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The session cookie (`name=value`) a successful `checkauth` gave.
    pub fn session_cookie(&self) -> Option<String> {
        let text = self.text();
        let lines: Vec<&str> = text.lines().collect();
        (lines.first() == Some(&"success") && lines.len() >= 3)
            .then(|| format!("{}={}", lines[1], lines[2]))
    }
}

impl ExchangeClient {
    /// A client of the server at `server` (`http://127.0.0.1:PORT`) for the shop on `host`.
    pub fn new(http: &reqwest::Client, server: &str, host: &str) -> Self {
        Self {
            http: http.clone(),
            server: server.to_owned(),
            host: host.to_owned(),
            authorization: None,
            cookie: None,
            user_agent: None,
        }
    }

    /// Basic credentials sent on every call, as MoySklad does.
    pub fn basic(self, login: &str, password: &str) -> Self {
        self.authorization(Some(&basic(login, password)))
    }

    /// This `Authorization` header on every call (or none).
    pub fn authorization(mut self, header: Option<&str>) -> Self {
        self.authorization = header.map(str::to_owned);
        self
    }

    /// This `Cookie` header on every call (or none).
    pub fn cookie(mut self, cookie: Option<&str>) -> Self {
        self.cookie = cookie.map(str::to_owned);
        self
    }

    /// 1C's user agent.
    pub fn like_1c(mut self) -> Self {
        self.user_agent = Some("1C+Enterprise/8.2");
        self
    }

    /// `checkauth` of `kind` (`catalog` or `sale`); on success the session cookie is kept for
    /// the calls that follow.
    pub async fn sign_in(&mut self, kind: &str) -> ExchangeAnswer {
        let answer = self.get(&format!("type={kind}&mode=checkauth")).await;
        if let Some(cookie) = answer.session_cookie() {
            self.cookie = Some(cookie);
        }
        answer
    }

    /// The session cookie kept, if any.
    pub fn session(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    /// A GET with this query.
    pub async fn get(&self, query: &str) -> ExchangeAnswer {
        self.send(query, None).await
    }

    /// A POST of `body` with this query (`mode=file`).
    pub async fn post(&self, query: &str, body: Vec<u8>) -> ExchangeAnswer {
        self.send(query, Some(body)).await
    }

    /// A GET, or a POST when there is a body.
    pub async fn send(&self, query: &str, body: Option<Vec<u8>>) -> ExchangeAnswer {
        let url = format!("{}{EXCHANGE_PATH}?{query}", self.server);
        let mut request = match body {
            Some(bytes) => self
                .http
                .post(url)
                .header("content-type", "application/octet-stream")
                .body(bytes),
            None => self.http.get(url),
        };
        request = request.header("host", &self.host);
        for (name, value) in [
            ("authorization", &self.authorization),
            ("cookie", &self.cookie),
        ] {
            if let Some(value) = value {
                request = request.header(name, value);
            }
        }
        if let Some(agent) = self.user_agent {
            request = request.header("user-agent", agent);
        }
        let response = request.send().await.expect("the exchange endpoint answers");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let (content_type, content_length) = (
            header("content-type").unwrap_or_default(),
            header("content-length"),
        );
        ExchangeAnswer {
            status: response.status().as_u16(),
            content_type,
            content_length: content_length.and_then(|l| l.parse().ok()),
            body: response.bytes().await.unwrap().to_vec(),
        }
    }

    /// A file uploaded in `chunk`-byte parts, as a client honouring `file_limit` does; each
    /// part must be taken.
    pub async fn upload(&self, name: &str, bytes: &[u8], chunk: usize) {
        for piece in bytes.chunks(chunk.max(1)) {
            let answer = self
                .post(
                    &format!("type=catalog&mode=file&filename={name}"),
                    piece.to_vec(),
                )
                .await;
            assert_eq!(answer.text(), "success\n", "part of {name}");
        }
    }

    /// `mode=import` of `name`, asked again while it answers `progress` (each answer at once),
    /// until it ends: the last answer.
    pub async fn import_until_done(&self, name: &str) -> String {
        for _ in 0..600 {
            let started = std::time::Instant::now();
            let answer = self
                .get(&format!("type=catalog&mode=import&filename={name}"))
                .await;
            assert_eq!(answer.status, 200);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(1),
                "every call answers at once"
            );
            let text = answer.text();
            if !text.starts_with("progress\n") {
                return text;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the import of {name} never ended");
    }
}

impl ExchangeClient {
    /// One pass as MoySklad makes it: `checkauth`, `init`, every file uploaded (in 1 MB
    /// parts), then each document (`.xml`) imported in the order given; the last answer of
    /// each import.
    pub async fn pass(&mut self, files: &[(&str, &[u8])]) -> Vec<String> {
        let signed_in = self.sign_in("catalog").await.text();
        assert!(signed_in.starts_with("success\n"), "{signed_in}");
        let init = self.get("type=catalog&mode=init").await.text();
        assert!(init.starts_with("zip="), "{init}");
        for (name, bytes) in files {
            self.upload(name, bytes, 1 << 20).await;
        }
        let mut answers = Vec::new();
        for (name, _) in files.iter().filter(|(name, _)| name.ends_with(".xml")) {
            answers.push(self.import_until_done(name).await);
        }
        answers
    }
}

impl TestApp {
    /// A client of the `demo` shop's exchange endpoint, with no credentials yet.
    pub fn exchange(&self) -> ExchangeClient {
        ExchangeClient::new(&self.http, &self.address, "demo.localhost")
    }

    /// [`ExchangeClient::pass`] as the shop's exchange employee (`sklad@shop.ru`, Basic on
    /// every call).
    pub async fn moysklad_pass(&self, files: &[(&str, &[u8])]) -> Vec<String> {
        let password = crate::helpers::EXCHANGE_PASSWORD;
        self.exchange()
            .basic("sklad@shop.ru", password)
            .pass(files)
            .await
    }
}
