//! Who the preview answers: requests addressed to this machine by a name it trusts.
//!
//! Input: a request's `Host` header. Output: whether to serve it. A web page on another
//! origin can point a name it controls at 127.0.0.1 (DNS rebinding) and read the preview,
//! drafts included; such requests carry that name in `Host`, so only loopback names, IP
//! addresses the server listens on and the port it listens on are accepted.

use std::net::{IpAddr, SocketAddr};

/// The `Host` values a server accepts.
#[derive(Debug, Clone)]
pub(crate) struct HostPolicy {
    /// The address the server listens on.
    listening: SocketAddr,
}

impl HostPolicy {
    /// The policy of a server listening on `listening`.
    pub(crate) fn new(listening: SocketAddr) -> Self {
        Self { listening }
    }

    /// Whether a request with this `Host` header is answered.
    pub(crate) fn allows(&self, host: Option<&str>) -> bool {
        let Some((name, port)) = host.and_then(split_host) else {
            return false;
        };
        if port.is_some_and(|p| p != self.listening.port()) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            // Any other name could be one an attacker points at this machine.
            return false;
        };
        ip.is_loopback() || ip == self.listening.ip() || self.listening.ip().is_unspecified()
    }
}

/// `name[:port]` or `[v6]:port` → (name without brackets, port).
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(port) => Some((name, Some(port.parse().ok()?))),
            None if after.is_empty() => Some((name, None)),
            None => None,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => Some((name, Some(port.parse().ok()?))),
        None => Some((host, None)),
    }
    .filter(|(name, _)| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(addr: &str) -> HostPolicy {
        HostPolicy::new(addr.parse().unwrap())
    }

    #[test]
    fn loopback_names_are_answered() {
        let p = policy("127.0.0.1:3000");
        for host in [
            "localhost:3000",
            "LOCALHOST:3000",
            "localhost",
            "127.0.0.1:3000",
            "127.0.0.2:3000",
            "[::1]:3000",
            "guide.localhost:3000",
        ] {
            assert!(p.allows(Some(host)), "{host}");
        }
    }

    #[test]
    fn other_names_ports_and_nothing_are_refused() {
        let p = policy("127.0.0.1:3000");
        for host in [
            "attacker.example:3000",
            "attacker.example",
            "localhost.attacker.example:3000",
            "localhost:3001",
            "127.0.0.1:80",
            "192.168.1.5:3000",
            "",
            ":3000",
            "[::1",
            "localhost:port",
        ] {
            assert!(!p.allows(Some(host)), "{host}");
        }
        assert!(!p.allows(None));
    }

    #[test]
    fn a_server_on_every_interface_answers_ip_addresses() {
        let p = policy("0.0.0.0:3000");
        assert!(p.allows(Some("192.168.1.5:3000")));
        assert!(p.allows(Some("localhost:3000")));
        assert!(!p.allows(Some("my-laptop.lan:3000")));
        let p = policy("192.168.1.5:3000");
        assert!(p.allows(Some("192.168.1.5:3000")));
        assert!(!p.allows(Some("10.0.0.1:3000")));
    }
}
