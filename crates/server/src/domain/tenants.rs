//! Tenants: slugs, host names, and which tenant a request's Host header means.

use vitrina_store::{Db, StoreError, Tenant};

use crate::domain::employees::{self, NewEmployeeInput};
use crate::domain::{DomainError, StoreResultExt, password};
use crate::i18n::Message;

/// A tenant's slug: `[a-z0-9-]`, 1 to 63 characters (one DNS label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    /// Accepts exactly the slug rule; no case folding, so what is stored is what was typed.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        if is_label(raw) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::Invalid(Message::InvalidSlug {
                slug: raw.to_owned(),
            }))
        }
    }

    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One DNS label as Vitrina accepts it: lower-case ASCII letters, digits and inner hyphens.
fn is_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The host part of a `Host` header, lower-cased, without port or trailing dot.
/// `None` for an empty or malformed value.
pub fn normalize_host(header: &str) -> Option<String> {
    let header = header.trim();
    let host = if let Some(bracketed) = header.strip_prefix('[') {
        // An IPv6 literal: "[::1]:8080".
        let end = bracketed.find(']')?;
        &bracketed[..end]
    } else {
        match header.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            Some(_) => return None,
            None => header,
        }
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    (!host.is_empty() && !host.contains(char::is_whitespace)).then_some(host)
}

/// A host name a tenant may claim: normalised, each label valid.
pub fn parse_host_name(raw: &str) -> Result<String, DomainError> {
    let invalid = || {
        DomainError::Invalid(Message::InvalidHost {
            host: raw.to_owned(),
        })
    };
    let host = normalize_host(raw).ok_or_else(invalid)?;
    let labels_ok = host.split('.').all(is_label);
    if host.len() > 253 || !labels_ok || host.parse::<std::net::IpAddr>().is_ok() {
        return Err(invalid());
    }
    Ok(host)
}

/// Creates a tenant; the name defaults to the slug.
pub async fn create(
    db: &Db,
    slug: &str,
    name: Option<&str>,
    owner: Option<NewEmployeeInput<'_>>,
) -> Result<Tenant, DomainError> {
    let slug = Slug::parse(slug)?;
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(slug.as_str());
    // The owner's details are checked before anything is written.
    if let Some(owner) = &owner {
        employees::Email::parse(owner.email)?;
        password::check_strength(owner.password)?;
    }
    let tenant = db
        .create_tenant(slug.as_str(), name)
        .await
        .or_conflict(|| Message::TenantExists {
            slug: slug.as_str().to_owned(),
        })?;
    if let Some(owner) = owner {
        employees::create(db, tenant.id, owner).await?;
    }
    Ok(tenant)
}

/// The tenant with this slug.
pub async fn find(db: &Db, slug: &str) -> Result<Tenant, DomainError> {
    db.find_tenant_by_slug(slug)
        .await
        .or_not_found(|| Message::UnknownTenant { slug: slug.into() })
}

/// Gives a tenant a host name of its own (a shop's own domain).
pub async fn add_host(db: &Db, slug: &str, host: &str) -> Result<String, DomainError> {
    let tenant = find(db, slug).await?;
    let host = parse_host_name(host)?;
    db.add_tenant_host(tenant.id, &host)
        .await
        .or_conflict(|| Message::HostTaken { host: host.clone() })?;
    Ok(host)
}

/// Decides which tenant a request is for, from its Host header.
#[derive(Debug, Clone)]
pub struct TenantResolver {
    base_domain: String,
    default_override: Option<String>,
}

impl TenantResolver {
    /// `base_domain` as given to `--base-domain`; `default_override` from `--default-tenant`.
    pub fn new(base_domain: &str, default_override: Option<String>) -> Self {
        let base_domain = normalize_host(base_domain).unwrap_or_else(|| base_domain.to_owned());
        Self {
            base_domain,
            default_override,
        }
    }

    /// The base domain, normalised.
    pub fn base_domain(&self) -> &str {
        &self.base_domain
    }

    /// The tenant for a `Host` header value. Reads the database every time, so tenants and
    /// hosts added by the CLI are served at once.
    ///
    /// 1. A tenant's own host name wins.
    /// 2. `<slug>.<base-domain>` is that tenant, or a not-found error: never the default tenant.
    /// 3. Anything else (the bare base domain, an IP address, a foreign name) is the default.
    pub async fn resolve(&self, db: &Db, host_header: &str) -> Result<Tenant, DomainError> {
        let host = normalize_host(host_header).ok_or(DomainError::Invalid(Message::MissingHost))?;
        match db.find_tenant_by_host(&host).await {
            Ok(tenant) => return Ok(tenant),
            Err(StoreError::NotFound) => {}
            Err(err) => return Err(err.into()),
        }
        if let Some(label) = host
            .strip_suffix(&self.base_domain)
            .and_then(|h| h.strip_suffix('.'))
        {
            let unknown = || Message::UnknownTenantHost {
                host: host.clone(),
                slug: label.into(),
            };
            if !is_label(label) {
                return Err(DomainError::NotFound(unknown()));
            }
            return db.find_tenant_by_slug(label).await.or_not_found(unknown);
        }
        self.default_tenant(db, &host).await
    }

    async fn default_tenant(&self, db: &Db, host: &str) -> Result<Tenant, DomainError> {
        let no_default = || DomainError::NotFound(Message::NoDefaultTenant { host: host.into() });
        let slug = match &self.default_override {
            Some(slug) => slug.clone(),
            None => db.default_tenant_slug().await?.ok_or_else(no_default)?,
        };
        db.find_tenant_by_slug(&slug)
            .await
            .or_not_found(|| Message::NoDefaultTenant { host: host.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_dns_label_rule() {
        for good in ["demo", "shop-1", "a", &"x".repeat(63)] {
            assert!(Slug::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Demo",
            "shop_1",
            "-shop",
            "shop-",
            "магазин",
            "a.b",
            &"x".repeat(64),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts_lose_port_case_and_trailing_dot() {
        assert_eq!(
            normalize_host("Shop1.LocalHost:8080").as_deref(),
            Some("shop1.localhost")
        );
        assert_eq!(
            normalize_host("shop.example.com.").as_deref(),
            Some("shop.example.com")
        );
        assert_eq!(normalize_host("[::1]:8080").as_deref(), Some("::1"));
        assert_eq!(normalize_host("127.0.0.1:80").as_deref(), Some("127.0.0.1"));
        assert_eq!(normalize_host(""), None);
        assert_eq!(normalize_host("host:port"), None);
    }

    #[test]
    fn own_host_names_must_be_dns_names() {
        assert_eq!(
            parse_host_name("Shop.Example.COM.").unwrap(),
            "shop.example.com"
        );
        assert!(parse_host_name("127.0.0.1").is_err());
        assert!(parse_host_name("bad_host.com").is_err());
        assert!(parse_host_name("a..b").is_err());
    }
}
