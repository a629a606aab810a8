//! Who is calling: the client's address and whether it came over https, believing
//! `X-Forwarded-For` / `X-Forwarded-Proto` only from trusted proxies.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use tracing::Span;

use super::{AppState, HttpError};

/// The peers (`--trusted-proxies`) whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Proxies in these networks.
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`. From a trusted peer, the client is the right-most address
    /// of `X-Forwarded-For` that is not itself a trusted proxy; anything left of it was
    /// written by the client and proves nothing.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> ClientInfo {
        if !self.trusts(peer) {
            return ClientInfo {
                ip: peer,
                https: false,
            };
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|part| part.trim().parse().ok())
            .collect();
        let ip = forwarded
            .iter()
            .rev()
            .find(|ip| !self.trusts(**ip))
            .or(forwarded.first())
            .copied()
            .unwrap_or(peer);
        let https = headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        ClientInfo { ip, https }
    }
}

/// The calling client as far as Vitrina can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client's address.
    pub ip: IpAddr,
    /// Whether the client reached us over https (so cookies must be `Secure`).
    pub https: bool,
}

/// The trace span of a request, with fields filled in as they become known.
pub fn make_span(request: &Request) -> Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id,
        client_ip = tracing::field::Empty,
        tenant = tracing::field::Empty,
    )
}

/// Middleware: works out the [`ClientInfo`] once and records it on the span.
pub async fn record_client(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let client = state.proxies.client(peer, request.headers());
    Span::current().record("client_ip", tracing::field::display(client.ip));
    request.extensions_mut().insert(client);
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Self>()
            .copied()
            .ok_or_else(|| HttpError::internal(&"route is not behind the client middleware"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_peers() {
        let proxies = TrustedProxies::new(vec!["10.0.0.0/8".parse().unwrap()]);
        let forwarded = headers(&[
            ("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.2"),
            ("x-forwarded-proto", "https"),
        ]);
        let via_proxy = proxies.client("10.0.0.1".parse().unwrap(), &forwarded);
        assert_eq!(
            via_proxy,
            ClientInfo {
                ip: "203.0.113.7".parse().unwrap(),
                https: true
            }
        );
        let direct = proxies.client("198.51.100.1".parse().unwrap(), &forwarded);
        assert_eq!(
            direct,
            ClientInfo {
                ip: "198.51.100.1".parse().unwrap(),
                https: false
            }
        );
        let no_header = proxies.client("10.0.0.1".parse().unwrap(), &HeaderMap::new());
        assert_eq!(no_header.ip, "10.0.0.1".parse::<IpAddr>().unwrap());
        assert!(!no_header.https);
    }
}
