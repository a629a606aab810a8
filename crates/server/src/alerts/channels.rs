//! The two ways an alert leaves: a webhook (POST of the JSON, signed with HMAC-SHA256 of the
//! body under the shop's secret in `X-Vitrina-Signature: sha256=<hex>`) and e-mail through the
//! shop's SMTP server.

use std::time::Duration;

use hmac::{Hmac, Mac};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message as Mail, Tokio1Executor};
use sha2::Sha256;
use vitrina_store::Delivery;

use crate::domain::settings::{EmailSettings, SmtpTls, WebhookSettings};

/// How long one attempt may take.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The signature header's value for `body` under `secret`.
pub fn signature(secret: &str, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any size");
    mac.update(body.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// POSTs the delivery's JSON; any 2xx answer delivers it.
pub async fn webhook(
    http: &reqwest::Client,
    settings: &WebhookSettings,
    delivery: &Delivery,
) -> Result<(), String> {
    let answer = http
        .post(&settings.url)
        .timeout(TIMEOUT)
        .header("content-type", "application/json")
        .header("x-vitrina-event", delivery.event.as_str())
        .header("x-vitrina-delivery", delivery.id.to_string())
        .header(
            "x-vitrina-signature",
            signature(&settings.secret, &delivery.payload),
        )
        .body(delivery.payload.clone())
        .send()
        .await
        .map_err(|e| format!("{e}"))?;
    match answer.status() {
        status if status.is_success() => Ok(()),
        status => Err(format!("the webhook answered {status}")),
    }
}

/// Sends the delivery's subject and text to every recipient.
pub async fn email(settings: &EmailSettings, delivery: &Delivery) -> Result<(), String> {
    let (subject, body) = delivery
        .payload
        .split_once("\n\n")
        .unwrap_or((&delivery.payload, ""));
    let mut mail = Mail::builder()
        .from(settings.from.parse().map_err(|e| format!("from: {e}"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN);
    for to in &settings.to {
        mail = mail.to(to.parse().map_err(|e| format!("{to}: {e}"))?);
    }
    let mail = mail.body(body.to_owned()).map_err(|e| e.to_string())?;
    let tls = || TlsParameters::new(settings.host.clone()).map_err(|e| e.to_string());
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
        .port(settings.port)
        .timeout(Some(TIMEOUT));
    transport = match settings.tls {
        SmtpTls::Starttls => transport.tls(Tls::Required(tls()?)),
        SmtpTls::Tls => transport.tls(Tls::Wrapper(tls()?)),
        SmtpTls::None => transport.tls(Tls::None),
    };
    if let (Some(login), Some(password)) = (&settings.login, &settings.password) {
        transport = transport.credentials(Credentials::new(login.clone(), password.clone()));
    }
    transport
        .build()
        .send(mail)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
