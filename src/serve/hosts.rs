//! Which `Host` and `Origin` headers the dev server answers: the defence
//! against DNS rebinding.
//!
//! A page on another site can point its own name at 127.0.0.1 and then read
//! the preview (and its error report) as if it were same-origin. Its
//! requests still carry that name in `Host`, so the server answers only to
//! names of the bound address, as Vite and webpack-dev-server do:
//! `127.0.0.1`, `localhost`, `[::1]`, the bound IP, and the name given to
//! `--bind` when it was a name. When bound to every interface (`0.0.0.0`,
//! `::`), any IP address is accepted too: a numeric host cannot be rebound,
//! and the machine's own addresses are not known in advance.
//!
//! A port, when present, must be the bound one. An `Origin` header, when
//! present, must be `http://` and one of the same hosts: writes from other
//! sites are refused even if a browser would send them.

use std::net::{IpAddr, SocketAddr};

pub struct AllowedHosts {
    names: Vec<String>,
    port: u16,
    any_ip: bool,
}

impl AllowedHosts {
    /// `bind` is what the user asked for (`--bind`), `local` the address
    /// actually bound.
    pub fn new(bind: &str, local: SocketAddr) -> AllowedHosts {
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "[::1]"]
            .map(String::from)
            .to_vec();
        let mut add = |name: String| {
            if !names.contains(&name) {
                names.push(name);
            }
        };
        add(host_of_ip(local.ip()));
        let bind = bind.trim().to_ascii_lowercase();
        if !bind.is_empty() && bind.parse::<IpAddr>().is_err() {
            add(bind);
        }
        AllowedHosts {
            names,
            port: local.port(),
            any_ip: local.ip().is_unspecified(),
        }
    }

    /// Whether a `Host` header value names this server.
    pub fn host_ok(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        self.names.contains(&name) || (self.any_ip && is_ip_literal(&name))
    }

    /// Whether an `Origin` header value is this server.
    pub fn origin_ok(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|rest| !rest.contains('/') && self.host_ok(rest))
    }

    /// For the refusal message: `127.0.0.1, localhost, [::1] (port 1111)`.
    pub fn describe(&self) -> String {
        let mut text = self.names.join(", ");
        if self.any_ip {
            text.push_str(" or any IP address");
        }
        format!("{text} (with port {} or none)", self.port)
    }
}

fn host_of_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

fn is_ip_literal(name: &str) -> bool {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => name.parse::<std::net::Ipv4Addr>().is_ok(),
    }
}

/// `name[:port]` or `[v6][:port]`; `None` when malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')? + 1;
        let (name, rest) = host.split_at(end);
        match rest {
            "" => (name, None),
            _ => (name, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if name.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    Some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> AllowedHosts {
        AllowedHosts::new("127.0.0.1", "127.0.0.1:1111".parse().unwrap())
    }

    #[test]
    fn loopback_names_with_or_without_the_port() {
        let hosts = loopback();
        for good in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost",
            "LOCALHOST:1111",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(hosts.host_ok(good), "{good}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:1111",
            "127.0.0.1:2222",
            "localhost:",
            "localhost:x",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "[::1",
            "[::1]x",
            "10.0.0.1",
            "localhost:1111:1111",
        ] {
            assert!(!hosts.host_ok(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_bind_name_and_the_bound_ip_are_accepted() {
        let hosts = AllowedHosts::new("Preview.Local", "192.168.1.5:8080".parse().unwrap());
        assert!(hosts.host_ok("preview.local:8080"));
        assert!(hosts.host_ok("192.168.1.5"));
        assert!(!hosts.host_ok("192.168.1.6"));
        let v6 = AllowedHosts::new("::1", "[::1]:1111".parse().unwrap());
        assert!(v6.host_ok("[::1]:1111"));
        assert!(!v6.host_ok("::1"), "an IPv6 host needs its brackets");
    }

    #[test]
    fn every_interface_accepts_any_ip_but_no_other_name() {
        let hosts = AllowedHosts::new("0.0.0.0", "0.0.0.0:1111".parse().unwrap());
        assert!(hosts.host_ok("192.168.1.5:1111"));
        assert!(hosts.host_ok("[fe80::1]"));
        assert!(!hosts.host_ok("evil.example"));
        assert!(hosts.describe().contains("any IP address"));
    }

    #[test]
    fn origins_are_http_and_an_accepted_host() {
        let hosts = loopback();
        assert!(hosts.origin_ok("http://127.0.0.1:1111"));
        assert!(hosts.origin_ok("http://localhost:1111"));
        for bad in [
            "null",
            "https://127.0.0.1:1111",
            "http://evil.example",
            "http://127.0.0.1:1111/x",
            "http://127.0.0.1:9",
            "",
        ] {
            assert!(!hosts.origin_ok(bad), "{bad:?}");
        }
    }
}
