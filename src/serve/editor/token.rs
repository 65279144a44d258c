//! The editor's secret: a random token made at start, as Jupyter does.
//!
//! The terminal prints a link holding it (`/__dossier/edit/?token=…`); that
//! first request trades it for an `HttpOnly`, `SameSite=Strict` cookie
//! scoped to the editor's paths, so the token leaves the address bar. Every
//! editor request must then carry it, in the cookie or in the
//! `X-Dossier-Token` header (for tools and tests). Another local user or a
//! page on another site cannot guess it: 32 bytes from the OS.

use hyper::header;
use hyper::http::request::Parts;

/// The header that may carry the token instead of the cookie.
pub const TOKEN_HEADER: &str = "x-dossier-token";

pub struct Token {
    secret: String,
    /// Cookies are not kept apart by port: each server names its own.
    cookie: String,
}

/// What a request showed of the token.
#[derive(Debug, PartialEq, Eq)]
pub enum Shown {
    Right,
    Wrong,
    Missing,
}

impl Token {
    /// A new random token, or an error if the OS has no randomness to give.
    pub fn new(port: u16) -> Result<Token, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        let secret = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Token::from_secret(secret, port))
    }

    fn from_secret(secret: String, port: u16) -> Token {
        Token {
            secret,
            cookie: format!("dossier_edit_{port}"),
        }
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The `Set-Cookie` value that keeps the token after the first visit.
    pub fn set_cookie(&self, path: &str) -> String {
        format!(
            "{}={}; Path={path}; HttpOnly; SameSite=Strict",
            self.cookie, self.secret
        )
    }

    /// Whether `given` is the token, in time that does not depend on where
    /// they differ.
    pub fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.secret.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// The token as the header or the cookie gives it.
    pub fn shown(&self, request: &Parts) -> Shown {
        let from_header = request
            .headers
            .get(TOKEN_HEADER)
            .map(|v| v.to_str().unwrap_or("").to_string());
        let from_cookie = request
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == self.cookie)
            .map(|(_, value)| value.to_string());
        match from_header.or(from_cookie) {
            None => Shown::Missing,
            Some(given) if self.matches(&given) => Shown::Right,
            Some(_) => Shown::Wrong,
        }
    }

    /// The `token` parameter of a query string, if it is there.
    pub fn in_query(query: Option<&str>) -> Option<String> {
        query?
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| *name == "token")
            .map(|(_, value)| value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::Request;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().uri("/__dossier/edit/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn tokens_are_random_and_long() {
        let (a, b) = (Token::new(1).unwrap(), Token::new(1).unwrap());
        assert_eq!(a.secret().len(), 64);
        assert_ne!(a.secret(), b.secret());
    }

    #[test]
    fn the_token_comes_from_the_header_or_this_servers_cookie() {
        let token = Token::from_secret("abc".into(), 1111);
        assert_eq!(token.shown(&parts(&[])), Shown::Missing);
        assert_eq!(token.shown(&parts(&[(TOKEN_HEADER, "abc")])), Shown::Right);
        assert_eq!(token.shown(&parts(&[(TOKEN_HEADER, "abd")])), Shown::Wrong);
        assert_eq!(token.shown(&parts(&[(TOKEN_HEADER, "ab")])), Shown::Wrong);
        let cookie = "theme=dark; dossier_edit_1111=abc";
        assert_eq!(token.shown(&parts(&[("cookie", cookie)])), Shown::Right);
        // Another server's cookie is not this one's.
        let other = "dossier_edit_2222=abc";
        assert_eq!(token.shown(&parts(&[("cookie", other)])), Shown::Missing);
        assert!(
            token
                .set_cookie("/p/")
                .contains("HttpOnly; SameSite=Strict")
        );
    }

    #[test]
    fn the_query_token_is_found_among_others() {
        assert_eq!(
            Token::in_query(Some("a=1&token=xyz")).as_deref(),
            Some("xyz")
        );
        assert_eq!(Token::in_query(Some("a=1")), None);
        assert_eq!(Token::in_query(None), None);
    }
}
