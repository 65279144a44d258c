//! `dossier serve`'s HTTP side against a real server on 127.0.0.1: limits
//! (bodies, headers, slow clients), the Host and Origin checks, redirects,
//! the page for a failed first build, the guide, the event contract and a
//! restarted server.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::TestSite;
use common::server::{Server, events, next_event, next_named};

fn findings(data: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(data).expect("findings are a JSON array")
}

#[test]
fn a_huge_declared_body_is_refused_before_it_is_read_and_the_server_carries_on() {
    let site = TestSite::new();
    let mut server = Server::start(&site);
    for method in ["POST", "PUT", "GET"] {
        let reply = server.request_with(method, "/", &["Content-Length: 1000000000000000"]);
        assert_eq!(reply.status, 413, "{method}");
        assert!(reply.body.contains("limited to"), "{}", reply.body);
    }
    // Not a number at all is refused the same way (hyper refuses it first).
    let reply = server.request_with("POST", "/", &["Content-Length: lots"]);
    assert!((400..500).contains(&reply.status), "{}", reply.status);
    // A body that is really sent, larger than the limit, in chunks.
    let before = server.rss_kib();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    for _ in 0..64 {
        if write!(stream, "{:x}\r\n", chunk.len()).is_err()
            || stream.write_all(&chunk).is_err()
            || stream.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    drop(stream);
    assert!(server.alive(), "the server survives");
    assert_eq!(server.get("/").0, 200);
    let after = server.rss_kib();
    assert!(
        after < before + 64 * 1024,
        "memory stays bounded: {before} KiB before, {after} KiB after"
    );
    // Small bodies on other methods: 405 with Allow.
    let reply = server.request_with("POST", "/", &["Content-Length: 3"]);
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET, HEAD"));
}

#[test]
fn oversized_heads_are_431_and_memory_stays_bounded() {
    let site = TestSite::new();
    let mut server = Server::start(&site);
    let big = |size: usize| {
        format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
            "a".repeat(size)
        )
    };
    assert_eq!(server.raw(big(40 * 1024).as_bytes()).status, 431);
    // Many small headers are too many.
    let mut many = String::from("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for i in 0..200 {
        many.push_str(&format!("X-{i}: 1\r\n"));
    }
    many.push_str("\r\n");
    assert_eq!(server.raw(many.as_bytes()).status, 431);
    // A long request line.
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "a".repeat(40 * 1024)
    );
    let status = server.raw(long.as_bytes()).status;
    assert!(status == 414 || status == 431, "{status}");

    let before = server.rss_kib();
    let request = big(1024 * 1024);
    for _ in 0..10 {
        // The server answers 431 and closes before the rest is sent; the
        // client may see a reset instead of the answer (status 0).
        let status = server.raw(request.as_bytes()).status;
        assert!(status == 431 || status == 0, "{status}");
    }
    let after = server.rss_kib();
    assert!(server.alive(), "the server survives");
    assert_eq!(server.get("/").0, 200);
    assert!(
        after < before + 64 * 1024,
        "memory stays bounded: {before} KiB before, {after} KiB after 10 MiB of headers"
    );
}

#[test]
fn slow_clients_do_not_block_others_and_are_cut_off() {
    let site = TestSite::new();
    let server = Server::start(&site);
    // Twenty connections that send half a head and then nothing.
    let slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(server.get("/about/").0, 200);
        assert!(started.elapsed() < Duration::from_secs(5), "not blocked");
    }
    // The header timeout (10 s) closes them; well before 60 s.
    let started = Instant::now();
    for mut s in slow {
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut buffer = Vec::new();
        let closed = s.read_to_end(&mut buffer).is_ok() || !buffer.is_empty();
        assert!(closed, "the slow connection is closed");
    }
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn only_hosts_naming_the_server_are_answered() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let port = server.port;
    for host in [
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        "localhost".into(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "LocalHost".into(),
    ] {
        let reply = server
            .raw(format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
        assert_eq!(reply.status, 200, "{host}");
    }
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost.evil.example".into(),
        "10.0.0.1".into(),
    ] {
        for path in ["/", "/__dossier/errors", "/__dossier/events"] {
            let reply = server.raw(
                format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            assert_eq!(reply.status, 403, "{host} {path}");
            assert!(
                reply.body.contains("127.0.0.1, localhost, [::1]"),
                "the refusal names the hosts accepted: {}",
                reply.body
            );
        }
    }
    // HTTP/1.1 without a Host at all.
    let reply = server.raw(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(
        reply.status == 400 || reply.status == 403,
        "{}",
        reply.status
    );

    // Origin: the server's own is fine, any other refused.
    let own = format!("Origin: http://127.0.0.1:{port}");
    assert_eq!(server.request_with("GET", "/", &[&own]).status, 200);
    for origin in [
        "Origin: http://evil.example",
        "Origin: null",
        "Origin: https://127.0.0.1",
    ] {
        let reply = server.request_with("GET", "/__dossier/errors", &[origin]);
        assert_eq!(reply.status, 403, "{origin}");
        let reply = server.request_with("POST", "/", &[origin, "Content-Length: 0"]);
        assert_eq!(reply.status, 403, "{origin} on a write");
    }
}

#[test]
fn folders_without_their_slash_are_redirected_and_files_served() {
    let site = TestSite::new();
    site.write("static/style.css", "body{}");
    let server = Server::start(&site);
    for (path, location) in [
        ("/partners", "/partners/"),
        ("/partners?x=1&y", "/partners/?x=1&y"),
        ("/partners/japan", "/partners/japan/"),
    ] {
        let reply = server.request_with("GET", path, &[]);
        assert_eq!(reply.status, 301, "{path}");
        assert_eq!(reply.header("location"), Some(location), "{path}");
    }
    let reply = server.request_with("GET", "/style.css", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(server.get("/partners/").0, 200);
    assert_eq!(server.get("/nowhere").0, 404);
    // HEAD: the head of a GET, no body.
    let reply = server.request_with("HEAD", "/partners/", &[]);
    assert_eq!(reply.status, 200);
    assert!(reply.body.is_empty());
    assert!(reply.header("content-length").is_some());
}

#[test]
fn a_failed_first_build_shows_its_errors_and_then_the_site() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: [unclosed\n---\nBroken.\n",
    );
    let server = Server::start(&site);
    for path in ["/", "/partners/japan/", "/anything"] {
        let (status, body) = server.get(path);
        assert_eq!(status, 503, "{path}");
        assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
        assert!(body.contains("<html lang=\"en\">"));
        assert!(body.contains("<title>"));
        assert!(body.contains("<script src=\"/__dossier/live.js\"></script>"));
        assert!(body.contains("content/partners/japan.md"), "errors listed");
    }
    let (status, errors) = server.get("/__dossier/errors");
    assert_eq!(status, 200);
    let errors = findings(&errors);
    assert_eq!(errors[0]["severity"], "error");
    assert_eq!(errors[0]["file"], "content/partners/japan.md");
    assert!(errors[0]["code"].as_str().unwrap().starts_with("E-"));

    let live = events(server.port);
    let hello: serde_json::Value = serde_json::from_str(&next_named(&live, "hello")).unwrap();
    assert!(hello["instance"].is_string());
    let current = findings(&next_named(&live, "findings"));
    assert_eq!(current[0]["file"], "content/partners/japan.md");

    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\n---\nRepaired.\n",
    );
    assert!(findings(&next_named(&live, "findings")).is_empty());
    assert_eq!(next_event(&live), "reload");
    let (status, body) = server.get("/partners/japan/");
    assert_eq!(status, 200);
    assert!(body.contains("Repaired."));
}

#[test]
fn every_rebuild_sends_findings_of_every_severity() {
    let site = TestSite::new();
    // A symbolic link in content/ is skipped with a warning (W-SYMLINK).
    std::os::unix::fs::symlink(site.path("content/about.md"), site.path("content/link.md"))
        .unwrap();
    let server = Server::start(&site);
    let live = events(server.port);
    let warned = findings(&next_named(&live, "findings"));
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0]["severity"], "warning");
    assert_eq!(warned[0]["code"], "W-SYMLINK");
    assert_eq!(warned[0]["file"], "content/link.md");
    let (_, current) = server.get("/__dossier/errors");
    assert_eq!(
        findings(&current),
        warned,
        "/__dossier/errors has warnings too"
    );

    // An error: findings with the error and the warning, then `errors`.
    site.write("content/about.md", "---\ntitle: [broken\n---\n");
    let bad = findings(&next_named(&live, "findings"));
    assert!(
        bad.iter()
            .any(|f| f["severity"] == "error" && f["file"] == "content/about.md")
    );
    assert_eq!(findings(&next_named(&live, "errors")), bad);
    assert_eq!(findings(&server.get("/__dossier/errors").1), bad);

    // Fixed: the warning alone again, and a reload.
    site.write("content/about.md", "---\ntitle: About\n---\nFine.\n");
    let fixed = findings(&next_named(&live, "findings"));
    assert_eq!(fixed, warned, "the warning stays, the error is gone");
    assert_eq!(next_event(&live), "reload");
    assert!(server.get("/about/").1.contains("Fine."));
}

#[test]
fn a_restarted_server_has_a_new_instance_id() {
    let site = TestSite::new();
    let first = Server::start(&site);
    let port = first.port.to_string();
    let live = events(first.port);
    let hello: serde_json::Value = serde_json::from_str(&next_named(&live, "hello")).unwrap();
    drop(first);
    // The open stream ends with the process.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match live.recv_timeout(Duration::from_millis(200)) {
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            _ if Instant::now() > deadline => panic!("the event stream did not end"),
            _ => {}
        }
    }
    let second = Server::start_with(&site, &port, &[], &[]);
    assert_eq!(second.port.to_string(), port, "same port");
    let live = events(second.port);
    let again: serde_json::Value = serde_json::from_str(&next_named(&live, "hello")).unwrap();
    assert!(again["instance"].is_string());
    assert_ne!(hello["instance"], again["instance"]);
}

#[test]
fn the_guide_is_served_with_an_entry_for_each_code() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let reply = server.request_with("GET", "/__dossier/guide/", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    for id in [
        "E-LINK-BROKEN",
        "E-FRONT-MATTER-YAML",
        "what-each-message-means",
    ] {
        assert!(reply.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(!reply.body.contains("/__dossier/live.js"), "no live script");
    let reply = server.request_with("GET", "/__dossier/guide", &[]);
    assert_eq!(reply.status, 301);
    assert_eq!(server.get("/__dossier/nothing").0, 404);
}

#[test]
fn the_editor_template_reaches_the_tabs_and_a_bad_one_is_refused() {
    let site = TestSite::new();
    let template = "vscode://file/{path}:{line}:{column}";
    let server = Server::start_with(&site, "0", &[], &[("DOSSIER_EDITOR", template)]);
    let live = events(server.port);
    let hello: serde_json::Value = serde_json::from_str(&next_named(&live, "hello")).unwrap();
    assert_eq!(hello["editor"], template);
    let root = hello["root"].as_str().unwrap();
    assert!(
        std::path::Path::new(root).join("site.yaml").is_file(),
        "{root}"
    );

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", "0", "--root", &site.root_arg()])
        .env("DOSSIER_EDITOR", "javascript:alert({path})")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("$DOSSIER_EDITOR"), "{stderr}");
}

#[test]
fn with_navigate_a_saved_page_sends_the_tabs_there() {
    let site = TestSite::new();
    let server = Server::start_with(&site, "0", &["--navigate"], &[]);
    let live = events(server.port);
    next_named(&live, "findings");
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\ntags: [Asia, NATO partners]\n---\nEdited.\n",
    );
    assert_eq!(next_named(&live, "navigate"), "/partners/japan/");
    // Without the flag, a save reloads the tabs where they are.
    let plain = Server::start(&site);
    let live = events(plain.port);
    next_named(&live, "findings");
    site.write("content/about.md", "---\ntitle: About\n---\nEdited.\n");
    next_named(&live, "findings");
    assert_eq!(next_event(&live), "reload");
}

#[test]
fn aliases_are_served_as_redirects() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\naliases: [\"/partners/nippon/\", \"/old/japan.html\"]\n---\nText.\n",
    );
    let server = Server::start(&site);
    for old in ["/partners/nippon/", "/partners/nippon", "/old/japan.html"] {
        let reply = server.request_with("GET", old, &[]);
        assert_eq!(reply.status, 301, "{old}");
        assert_eq!(reply.header("location"), Some("/partners/japan/"), "{old}");
    }
    assert_eq!(server.get("/partners/nothing/").0, 404);
}
