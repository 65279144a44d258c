//! `dossier serve --edit` against a real server on 127.0.0.1: the token,
//! cross-origin refusals, path confinement, body limits, conflicts, the
//! exact bytes a save writes, diagnostics of unsaved text, new pages, and
//! that without `--edit` no editor or write endpoint exists.

mod common;

use std::io::Write;
use std::net::TcpStream;

use common::TestSite;
use common::server::{Reply, Server};
use serde_json::{Value, json};

const SITE_YAML: &str = "title: \"Test site\"\nbase_url: \"https://example.org/sub/\"\nsections:\n  partners:\n    fields:\n      status: { type: enum, values: [concluded, negotiating], required: true }\n      areas: { type: list }\n";

/// Japan as an author wrote it: comments, quoting and order to keep.
const JAPAN: &str = "---\n# Checked 2026-11-01.\ntitle: 'Japan'   # as in the report\nweight: 1\nstatus: negotiating\nareas:\n    - maritime\n    - cyber\n---\nJapan text.\n";

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", SITE_YAML);
    site.write("content/partners/japan.md", JAPAN);
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nweight: 2\nstatus: concluded\n---\nCanada text.\n",
    );
    site
}

/// A server with the editor, and its token from the printed link.
struct Editor {
    server: Server,
    token: String,
}

impl Editor {
    fn start(site: &TestSite) -> Editor {
        let server = Server::start_with(site, "0", &["--edit"], &[]);
        let line = server.wait_log("/__dossier/edit/?token=");
        let token = line.rsplit("?token=").next().unwrap().trim().to_string();
        assert_eq!(token.len(), 64, "{line}");
        Editor { server, token }
    }

    fn origin(&self) -> String {
        format!("Origin: http://127.0.0.1:{}", self.server.port)
    }

    fn get(&self, path: &str) -> Reply {
        let token = format!("X-Dossier-Token: {}", self.token);
        self.server.request_with("GET", path, &[&token])
    }

    fn get_json(&self, path: &str) -> Value {
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }

    /// A POST as the editor's page sends it (token, Origin, JSON).
    fn post(&self, route: &str, body: &Value) -> Reply {
        let token = format!("X-Dossier-Token: {}", self.token);
        let headers = [
            token.as_str(),
            &self.origin(),
            "Content-Type: application/json",
        ];
        post(
            &self.server,
            &format!("/__dossier/edit/api/{route}"),
            &headers,
            body.to_string(),
        )
    }
}

fn post(server: &Server, path: &str, headers: &[&str], body: impl AsRef<[u8]>) -> Reply {
    let body = body.as_ref();
    let mut raw = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
        server.port,
        body.len()
    );
    for header in headers {
        raw.push_str(header);
        raw.push_str("\r\n");
    }
    raw.push_str("\r\n");
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    server.raw(&raw)
}

fn json_of(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

fn save_request(editor: &Editor, source: &str, changes: Value, body: &str) -> Value {
    let page = editor.get_json(&format!("/__dossier/edit/api/page?source={source}"));
    json!({ "source": source, "hash": page["hash"], "changes": changes, "body": body })
}

#[test]
fn without_edit_there_is_no_editor_and_no_write_endpoint() {
    let site = site();
    let server = Server::start(&site);
    assert_eq!(server.get("/__dossier/edit/").0, 404);
    assert_eq!(server.get("/__dossier/edit/api/pages").0, 404);
    let body = json!({ "source": "partners/japan.md", "hash": "x", "body": "gone" }).to_string();
    let origin = format!("Origin: http://127.0.0.1:{}", server.port);
    let reply = post(
        &server,
        "/__dossier/edit/api/save",
        &[&origin, "Content-Type: application/json"],
        &body,
    );
    assert_eq!(reply.status, 405, "{}", reply.body);
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        JAPAN
    );
}

#[test]
fn the_token_is_required_and_the_link_trades_it_for_a_cookie() {
    let site = site();
    let editor = Editor::start(&site);
    let server = &editor.server;
    assert_eq!(server.get("/__dossier/edit/").0, 401);
    assert_eq!(server.get("/__dossier/edit/api/pages").0, 401);
    let wrong = "X-Dossier-Token: 0000";
    assert_eq!(
        server
            .request_with("GET", "/__dossier/edit/", &[wrong])
            .status,
        403
    );
    let other_cookie = format!("Cookie: dossier_edit_{}=nope", server.port);
    let reply = server.request_with("GET", "/__dossier/edit/api/pages", &[&other_cookie]);
    assert_eq!(reply.status, 403);
    assert_eq!(server.get("/__dossier/edit/?token=nope").0, 403);

    let reply = server.request_with(
        "GET",
        &format!("/__dossier/edit/?token={}", editor.token),
        &[],
    );
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/__dossier/edit/"));
    let cookie = reply.header("set-cookie").expect("a cookie").to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap();
    let page = server.request_with("GET", "/__dossier/edit/", &[&format!("Cookie: {pair}")]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("dossier editor"));
    let policy = page.header("content-security-policy").unwrap_or("");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(page.header("access-control-allow-origin").is_none());

    let list = editor.get_json("/__dossier/edit/api/pages");
    let japan = list["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == "partners/japan.md");
    let japan = japan.expect("japan is listed");
    assert_eq!(japan["group"], "partners");
    assert_eq!(japan["draft"], false);
    assert_eq!(japan["path"], "/partners/japan/");

    // Writes without the token or with a wrong one: nothing is written.
    let body = json!({ "source": "partners/japan.md", "hash": "x", "body": "gone" }).to_string();
    let origin = editor.origin();
    for token in [None, Some("X-Dossier-Token: wrong")] {
        let mut headers = vec![origin.as_str(), "Content-Type: application/json"];
        headers.extend(token);
        let reply = post(server, "/__dossier/edit/api/save", &headers, &body);
        assert_eq!(reply.status, if token.is_none() { 401 } else { 403 });
    }
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        JAPAN
    );
}

#[test]
fn cross_origin_and_bare_writes_are_refused() {
    let site = site();
    let editor = Editor::start(&site);
    let request = save_request(&editor, "partners/japan.md", json!([]), "gone\n").to_string();
    let token = format!("X-Dossier-Token: {}", editor.token);
    let json_type = "Content-Type: application/json";
    let refused = [
        (
            vec![token.as_str(), "Origin: http://evil.example", json_type],
            403,
        ),
        (vec![token.as_str(), "Origin: null", json_type], 403),
        // Neither Origin nor X-Dossier-Request: not from the editor's page.
        (vec![token.as_str(), json_type], 403),
        (
            vec![
                token.as_str(),
                "X-Dossier-Request: 1",
                "Sec-Fetch-Site: cross-site",
                json_type,
            ],
            403,
        ),
        (
            vec![
                token.as_str(),
                "X-Dossier-Request: 1",
                "Content-Type: text/plain",
            ],
            415,
        ),
    ];
    for (headers, status) in refused {
        let reply = post(
            &editor.server,
            "/__dossier/edit/api/save",
            &headers,
            &request,
        );
        assert_eq!(reply.status, status, "{headers:?}: {}", reply.body);
    }
    let reply = editor.server.request_with(
        "POST",
        "/__dossier/edit/api/save",
        &[&token, "Host: evil.example", json_type],
    );
    assert!(
        reply.status == 403 || reply.status == 400,
        "{}",
        reply.status
    );
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        JAPAN
    );
    // The custom header alone is enough for a tool.
    let reply = post(
        &editor.server,
        "/__dossier/edit/api/save",
        &[&token, "X-Dossier-Request: 1", json_type],
        &request,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[cfg(unix)]
#[test]
fn traversal_and_symbolic_links_are_refused() {
    let site = site();
    let outside = site.tmp().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("x.md"), "---\ntitle: X\n---\nsecret\n").unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/out")).unwrap();
    std::os::unix::fs::symlink(outside.join("x.md"), site.path("content/partners/link.md"))
        .unwrap();
    let editor = Editor::start(&site);
    for source in [
        "../site.yaml",
        "partners/../../site.yaml",
        "../outside/x.md",
        "/etc/passwd",
        "out/x.md",
        "partners/link.md",
        "partners/.hidden.md",
        "partners\\japan.md",
    ] {
        let encoded: String =
            percent_encoding::utf8_percent_encode(source, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let reply = editor.get(&format!("/__dossier/edit/api/page?source={encoded}"));
        assert_eq!(reply.status, 403, "read {source}: {}", reply.body);
        assert!(!reply.body.contains("secret"));
        let body = json!({ "source": source, "hash": "x", "changes": [], "body": "pwned" });
        let reply = editor.post("save", &body);
        assert_eq!(reply.status, 403, "save {source}: {}", reply.body);
        let reply = editor.post(
            "check",
            &json!({ "source": source, "original": "", "body": "x" }),
        );
        assert_eq!(reply.status, 403, "check {source}: {}", reply.body);
    }
    assert_eq!(
        std::fs::read_to_string(outside.join("x.md")).unwrap(),
        "---\ntitle: X\n---\nsecret\n"
    );
    assert_eq!(
        std::fs::read_to_string(site.path("site.yaml")).unwrap(),
        SITE_YAML
    );
    // A section that is not one the walk found cannot receive a new page.
    let reply = editor.post("new", &json!({ "section": "../outside", "title": "Evil" }));
    assert_eq!(reply.status, 400, "{}", reply.body);
    let reply = editor.post("new", &json!({ "section": "out", "title": "Evil" }));
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 1);
}

#[test]
fn oversize_bodies_are_413_declared_or_not_and_the_server_carries_on() {
    let site = site();
    let mut editor = Editor::start(&site);
    let token = format!("X-Dossier-Token: {}", editor.token);
    let origin = editor.origin();
    // Declared too large: refused before anything is read.
    let mut raw = format!(
        "POST /__dossier/edit/api/check HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n{token}\r\n{origin}\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n",
        editor.server.port
    );
    assert_eq!(editor.server.raw(raw.as_bytes()).status, 413);
    // Not declared (chunked) and larger than 1 MiB: Limited stops it.
    raw = raw.replace("Content-Length: 2000000", "Transfer-Encoding: chunked");
    let mut stream = TcpStream::connect(("127.0.0.1", editor.server.port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..20 {
        if write!(stream, "{:x}\r\n", chunk.len()).is_err()
            || stream.write_all(&chunk).is_err()
            || stream.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    let mut response = Vec::new();
    let _ = std::io::Read::read_to_end(&mut stream, &mut response);
    let head = String::from_utf8_lossy(&response);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(editor.server.alive());
    // Under the limit but the page would be larger than the site's file limit.
    let huge = "x".repeat(900 * 1024);
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}limits: {{ max_file_kib: 64 }}\n"),
    );
    let request = save_request(&editor, "partners/japan.md", json!([]), &huge);
    let reply = editor.post("save", &request);
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        JAPAN
    );
}

#[test]
fn a_save_writes_exactly_the_edit_and_keeps_the_authors_formatting() {
    let site = site();
    let editor = Editor::start(&site);
    let page = editor.get_json("/__dossier/edit/api/page?source=partners/japan.md");
    assert_eq!(page["text"], JAPAN);
    let fields = page["fields"].as_array().unwrap();
    let field = |name: &str| fields.iter().find(|f| f["name"] == name).cloned().unwrap();
    assert_eq!(field("title")["value"], "Japan");
    assert_eq!(field("status")["kind"], "enum");
    assert_eq!(
        field("status")["values"],
        json!(["concluded", "negotiating"])
    );
    assert_eq!(field("status")["required"], true);
    assert_eq!(field("areas")["value"], json!(["maritime", "cyber"]));
    let request = json!({
        "source": "partners/japan.md",
        "hash": page["hash"],
        "changes": [["title", "Japan's partnership"], ["status", "concluded"], ["areas", ["maritime", "space"]]],
        "body": "Japan signed.\n",
    });
    let reply = editor.post("save", &request);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let expected = "---\n# Checked 2026-11-01.\ntitle: 'Japan''s partnership'   # as in the report\nweight: 1\nstatus: concluded\nareas:\n    - maritime\n    - space\n---\nJapan signed.\n";
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        expected
    );
    assert_eq!(
        json_of(&reply)["hash"],
        blake3::hash(expected.as_bytes()).to_hex().as_str()
    );
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(site.path("content/partners"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    // The preview rebuilds from the saved file.
    editor.server.wait_log("rebuilt");
    // CRLF files keep their line ends.
    site.write(
        "content/partners/canada.md",
        "---\r\ntitle: Canada\r\nstatus: concluded\r\n---\r\nText.\r\n",
    );
    let request = save_request(
        &editor,
        "partners/canada.md",
        json!([["title", "Canada!"]]),
        "Text.\n",
    );
    assert_eq!(editor.post("save", &request).status, 200);
    assert_eq!(
        std::fs::read(site.path("content/partners/canada.md")).unwrap(),
        b"---\r\ntitle: Canada!\r\nstatus: concluded\r\n---\r\nText.\r\n"
    );
}

#[test]
fn a_file_changed_since_it_was_opened_is_a_conflict_with_the_text_on_disk() {
    let site = site();
    let editor = Editor::start(&site);
    let request = save_request(&editor, "partners/japan.md", json!([]), "Mine.\n");
    let theirs = JAPAN.replace("Japan text.", "Their text.");
    site.write("content/partners/japan.md", &theirs);
    let reply = editor.post("save", &request);
    assert_eq!(reply.status, 409, "{}", reply.body);
    let conflict = json_of(&reply);
    assert_eq!(conflict["disk"], theirs.as_str());
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        theirs
    );
    // What keeping mine would write, and how it differs, line by line.
    assert_eq!(
        conflict["mine"],
        JAPAN.replace("Japan text.\n", "Mine.\n").as_str()
    );
    assert_eq!(conflict["diff"]["same"], false);
    let rows: Vec<(String, Value, Value, String)> = conflict["diff"]["hunks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h.as_array().unwrap().iter())
        .map(|l| {
            let text = |k: &str| l[k].as_str().unwrap().to_string();
            (
                text("tag"),
                l["old"].clone(),
                l["new"].clone(),
                text("text"),
            )
        })
        .filter(|row| row.0 != "equal")
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "delete".into(),
                json!(10),
                Value::Null,
                "Their text.".into()
            ),
            ("insert".into(), Value::Null, json!(10), "Mine.".into()),
        ]
    );
    // Choosing "mine" sends the hash of what is on disk now.
    let mut again = request.clone();
    again["hash"] = conflict["hash"].clone();
    assert_eq!(editor.post("save", &again).status, 200);
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        JAPAN.replace("Japan text.\n", "Mine.\n")
    );
}

#[test]
fn unsaved_text_is_checked_with_findings_at_their_lines_and_nothing_is_written() {
    let site = site();
    let editor = Editor::start(&site);
    let page = editor.get_json("/__dossier/edit/api/page?source=partners/japan.md");
    let check = |changes: Value, body: &str| {
        let reply = editor.post(
            "check",
            &json!({ "source": "partners/japan.md", "original": page["text"], "changes": changes, "body": body }),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        json_of(&reply)
    };
    let clean = check(json!([]), "Fine.\n");
    assert_eq!(clean["findings"], json!([]), "{clean}");
    assert_eq!(clean["body_line"], 10);
    // The page rendered from the unsaved text, its links resolving from
    // the page's own path.
    let preview = check(json!([["title", "Japan, unsaved"]]), "Fine words.\n");
    let html = preview["preview"].as_str().expect("a preview");
    assert!(html.contains("<base href=\"/partners/japan/\">"), "{html}");
    assert!(
        html.contains("Japan, unsaved") && html.contains("Fine words."),
        "{html}"
    );
    // A value outside the schema's enum: at the line of `status`.
    let bad = check(json!([["status", "maybe"]]), "Fine.\n");
    let finding = &bad["findings"][0];
    assert_eq!(finding["code"], "E-SCHEMA-TYPE", "{bad}");
    assert_eq!(finding["line"], 5);
    assert_eq!(finding["file"], "content/partners/japan.md");
    // A placeholder left in, and a removed required field.
    let bad = check(
        json!([["title", "TODO: a title"], ["status", null]]),
        "Fine.\n",
    );
    let codes: Vec<&str> = bad["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"E-PLACEHOLDER") && codes.contains(&"E-SCHEMA-MISSING"),
        "{codes:?}"
    );
    // A broken link in the body (found by the model, as `check` does), at
    // its line of the file.
    let body = "Fine.\n\nSee [the notes](../nowhere.md).\n";
    let found = check(json!([]), body);
    let lines: Vec<i64> = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["line"].as_i64())
        .collect();
    assert!(!lines.is_empty(), "{found}");
    assert!(lines.iter().all(|&l| l == 12), "{found}");
    assert_eq!(found["findings"][0]["code"], "E-LINK-BROKEN", "{found}");
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        JAPAN
    );
}

#[test]
fn a_new_page_is_made_from_the_sections_schema() {
    let site = site();
    let editor = Editor::start(&site);
    let reply = editor.post("new", &json!({ "section": "partners", "title": "Chile" }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(json_of(&reply)["source"], "partners/chile.md");
    let text = std::fs::read_to_string(site.path("content/partners/chile.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"Chile\"\n") && text.contains("status: \"TODO"),
        "{text}"
    );
    assert!(text.contains("draft: true"));
    // Never over an existing file.
    let reply = editor.post("new", &json!({ "section": "partners", "title": "Chile" }));
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/chile.md")).unwrap(),
        text
    );
}

#[test]
fn the_guide_shows_the_editor_screenshot() {
    let site = site();
    let server = Server::start(&site);
    let (status, guide) = server.get("/__dossier/guide/");
    assert_eq!(status, 200);
    assert!(
        guide.contains("<img src=\"docs/editor.png\""),
        "the guide shows the screenshot"
    );
    let reply = server.request_with("GET", "/__dossier/guide/docs/editor.png", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("image/png"));
}

#[test]
fn an_image_is_stored_in_static_images_and_never_over_a_file() {
    let site = site();
    let editor = Editor::start(&site);
    let token = format!("X-Dossier-Token: {}", editor.token);
    let origin = editor.origin();
    let png: &[u8] = b"\x89PNG\r\n\x1a\nnot really pixels";
    let send = |name: &str, kind: &str, token: &str| {
        let kind = format!("Content-Type: {kind}");
        let path = format!("/__dossier/edit/api/image?name={name}");
        post(&editor.server, &path, &[token, &origin, &kind], png)
    };
    let reply = send("Map%20of%20Japan.png", "image/png", &token);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(json_of(&reply)["path"], "/images/map-of-japan.png");
    let stored = std::fs::read(site.path("static/images/map-of-japan.png")).unwrap();
    assert_eq!(stored, png);
    // The same name again: a new file, the first one kept.
    let reply = send("map-of-japan.png", "image/png", &token);
    assert_eq!(json_of(&reply)["path"], "/images/map-of-japan-2.png");
    // A name cannot lead elsewhere.
    let reply = send("..%2F..%2Fsite.png", "image/png", &token);
    assert_eq!(json_of(&reply)["path"], "/images/site.png");
    assert_eq!(
        std::fs::read_to_string(site.path("site.yaml")).unwrap(),
        SITE_YAML
    );
    // SVG (scripts) and bytes that are not the type said: refused.
    assert_eq!(send("x.svg", "image/svg+xml", &token).status, 415);
    assert_eq!(send("x.gif", "image/gif", &token).status, 415);
    assert_eq!(
        send("x.png", "image/png", "X-Dossier-Token: wrong").status,
        403
    );
    assert_eq!(send("x.png", "image/png", "X-Other: 1").status, 401);
    let mut names: Vec<String> = std::fs::read_dir(site.path("static/images"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["map-of-japan-2.png", "map-of-japan.png", "site.png"]
    );
}

#[test]
fn a_move_updates_every_link_to_the_page_and_the_site_still_builds() {
    let site = site();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nstatus: concluded\n---\nSee [Canada](canada.md) and [home](@/_index.md).\n\n## Details\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nRead [Japan](partners/japan.md#details) or [again](@/partners/japan.md).\n",
    );
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nstatus: concluded\n---\nSee [J][j].\n\n[j]: japan.md\n",
    );
    std::fs::create_dir_all(site.path("content/partners/asia")).unwrap();
    let editor = Editor::start(&site);
    let request = |apply: bool| json!({ "source": "partners/japan.md", "to": "partners/asia/japan.md", "apply": apply });
    // The preview lists each change; a reference-style link is left to a person.
    let reply = editor.post("rename", &request(false));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let plan = json_of(&reply);
    assert_eq!(plan["by_hand"], true, "{plan}");
    let reply = editor.post("rename", &request(true));
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert!(
        site.path("content/partners/japan.md").is_file(),
        "nothing moved"
    );
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nstatus: concluded\n---\nSee [Japan](japan.md).\n",
    );
    let plan = json_of(&editor.post("rename", &request(false)));
    assert_eq!(plan["by_hand"], false, "{plan}");
    let changes: Vec<(String, String)> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["file"].as_str().unwrap().to_string(),
                c["new"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(changes.len(), 4, "{changes:?}");
    // Applied.
    let reply = editor.post("rename", &request(true));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(!site.path("content/partners/japan.md").exists());
    let read = |p: &str| std::fs::read_to_string(site.path(p)).unwrap();
    assert_eq!(
        read("content/partners/asia/japan.md"),
        "---\ntitle: Japan\nstatus: concluded\n---\nSee [Canada](../canada.md) and [home](@/_index.md).\n\n## Details\n"
    );
    assert_eq!(
        read("content/about.md"),
        "---\ntitle: About\n---\nRead [Japan](partners/asia/japan.md#details) or [again](@/partners/asia/japan.md).\n"
    );
    assert_eq!(
        read("content/partners/canada.md"),
        "---\ntitle: Canada\nstatus: concluded\n---\nSee [Japan](asia/japan.md).\n"
    );
    site.build_ok(&[]);
    // Never over an existing page, never out of content/.
    let over = json!({ "source": "partners/canada.md", "to": "about.md", "apply": true });
    assert_eq!(editor.post("rename", &over).status, 409);
    let out = json!({ "source": "partners/canada.md", "to": "../canada.md", "apply": true });
    assert_eq!(editor.post("rename", &out).status, 403);
    assert!(site.path("content/partners/canada.md").is_file());
}

/// A site with a source register and a cited field with hints.
const CITED_YAML: &str = "title: \"Test site\"\nbase_url: \"https://example.org/sub/\"\nsections:\n  partners:\n    fields:\n      status: { type: enum, values: [concluded, negotiating], required: true, hint: \"Where it stands.\" }\n      signed: { type: date, cite: true }\n      sources: { required: true, hint: \"At least one.\" }\n";
const REGISTER: &str = "# The register.\neeas-sdp:\n  title: \"EU Security and Defence Partnerships\"\n  publisher: \"EEAS\"\n  url: \"https://www.eeas.europa.eu/x\"\n  grade: official\nagence:\n  title: \"Signed in Tokyo\"\n  publisher: \"Agence Europe\"\n  url: \"https://agenceurope.eu/x\"\n  date: 2024-11-01\n  grade: press\n";
const CITED: &str = "---\ntitle: Japan\nstatus: concluded\nsigned: 2024-11-01\nsigned_source: agence   # the signing\nsources:\n  - eeas-sdp   # overview\n---\nJapan text [@eeas-sdp].\n";

#[test]
fn sources_and_cited_fields_are_picked_from_the_register_with_the_schemas_hints() {
    let site = TestSite::new();
    site.write("site.yaml", CITED_YAML);
    site.write("data/sources.yaml", REGISTER);
    site.write("content/partners/japan.md", CITED);
    // The base site's other partner, valid under this schema.
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nstatus: concluded\nsources: [agence]\n---\nCanada text [@agence].\n",
    );
    let editor = Editor::start(&site);
    let register = editor.get_json("/__dossier/edit/api/sources");
    assert_eq!(register["present"], true);
    assert_eq!(
        register["sources"][1],
        json!({ "id": "agence", "title": "Signed in Tokyo", "publisher": "Agence Europe", "date": "2024-11-01", "grade": "press", "grade_label": "press report" })
    );
    let page = editor.get_json("/__dossier/edit/api/page?source=partners/japan.md");
    let fields = page["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "title",
            "description",
            "date",
            "draft",
            "status",
            "signed",
            "signed_source",
            "sources"
        ]
    );
    let field = |name: &str| fields.iter().find(|f| f["name"] == name).cloned().unwrap();
    assert_eq!(field("status")["hint"], "Where it stands.");
    assert_eq!(field("title")["hint"], Value::Null);
    assert_eq!(field("sources")["kind"], "sources");
    assert_eq!(field("sources")["value"], json!(["eeas-sdp"]));
    assert_eq!(field("sources")["required"], true);
    assert_eq!(field("sources")["hint"], "At least one.");
    assert_eq!(field("signed_source")["kind"], "sources");
    assert_eq!(field("signed_source")["value"], json!(["agence"]));
    assert_eq!(field("signed_source")["single"], true);
    assert_eq!(page["not_in_form"], json!([]));
    // An unknown id picked by hand is a finding at its line.
    let check = editor.post(
        "check",
        &json!({ "source": "partners/japan.md", "original": page["text"], "changes": [["sources", ["eeas-sdp", "eeas-spd"]]], "body": "Japan text [@agnce].\n" }),
    );
    assert_eq!(check.status, 200, "{}", check.body);
    let found: Vec<(String, i64, String)> = json_of(&check)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (text("code"), f["line"].as_i64().unwrap_or(0), text("hint"))
        })
        .collect();
    assert!(
        // At the `sources:` key, which the form shows under its field.
        found.contains(&(
            "E-CITATION-UNKNOWN".into(),
            6,
            "did you mean `eeas-sdp`?".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "E-CITATION-UNKNOWN".into(),
            10,
            "did you mean `agence`?".into()
        )),
        "{found:?}"
    );
    // Saved: each value keeps its style (one id stays plain, with its comment).
    let request = json!({
        "source": "partners/japan.md",
        "hash": page["hash"],
        "changes": [["signed_source", "eeas-sdp"], ["sources", ["eeas-sdp", "agence"]]],
        "body": "Japan text [@eeas-sdp; @agence].\n",
    });
    assert_eq!(editor.post("save", &request).status, 200);
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/japan.md")).unwrap(),
        "---\ntitle: Japan\nstatus: concluded\nsigned: 2024-11-01\nsigned_source: eeas-sdp   # the signing\nsources:\n  - eeas-sdp\n  - agence\n---\nJapan text [@eeas-sdp; @agence].\n"
    );
    site.build_ok(&[]);
    // Sources written out in full are left to the file.
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nstatus: concluded\nsources:\n  - { title: EEAS, url: \"https://www.eeas.europa.eu/x\" }\n---\nText.\n",
    );
    let page = editor.get_json("/__dossier/edit/api/page?source=partners/japan.md");
    assert_eq!(
        page["not_in_form"],
        json!(["sources (written out in full)"])
    );
    let fields = page["fields"].as_array().unwrap();
    assert!(fields.iter().all(|f| f["name"] != "sources"));
}

#[test]
fn without_a_register_sources_stay_out_of_the_form() {
    let site = site();
    let editor = Editor::start(&site);
    let register = editor.get_json("/__dossier/edit/api/sources");
    assert_eq!(register, json!({ "present": false, "sources": [] }));
    let page = editor.get_json("/__dossier/edit/api/page?source=partners/japan.md");
    let fields = page["fields"].as_array().unwrap();
    assert!(fields.iter().all(|f| f["kind"] != "sources"), "{page}");
}

#[test]
fn the_page_list_marks_a_translation_that_is_out_of_date() {
    let site = site();
    site.write("site.yaml", &format!("{SITE_YAML}languages: [en, fr]\n"));
    site.write(
        "content/partners/japan.fr.md",
        "---\ntitle: Japon\n---\nTexte sur le Japon.\n",
    );
    let editor = Editor::start(&site);
    let list = editor.get_json("/__dossier/edit/api/pages");
    let page = |source: &str| {
        list["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["source"] == source)
            .cloned()
            .unwrap_or_else(|| panic!("{source} is listed: {list}"))
    };
    let fr = page("partners/japan.fr.md");
    assert_eq!(fr["translation_stale"], true, "{fr}");
    assert_eq!(fr["lang"], "fr");
    assert_eq!(page("partners/japan.md")["translation_stale"], false);
}

#[test]
fn a_renamed_page_takes_its_translations_along() {
    let site = site();
    site.write("site.yaml", &format!("{SITE_YAML}languages: [en, fr]\n"));
    site.write(
        "content/partners/japan.fr.md",
        "---\ntitle: Japon\n---\nVoir [le Canada](@/partners/canada.md).\n",
    );
    let editor = Editor::start(&site);
    let request =
        json!({ "source": "partners/japan.md", "to": "partners/nippon.md", "apply": true });
    let reply = editor.post("rename", &request);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        json_of(&reply)["translations"],
        json!(["partners/nippon.fr.md"])
    );
    assert!(site.path("content/partners/nippon.md").is_file());
    assert!(!site.path("content/partners/japan.fr.md").exists());
    assert_eq!(
        std::fs::read_to_string(site.path("content/partners/nippon.fr.md")).unwrap(),
        "---\ntitle: Japon\n---\nVoir [le Canada](@/partners/canada.md).\n"
    );
    site.build_ok(&[]);

    // A translation already at the new name: nothing moves.
    site.write(
        "content/partners/kyoto.fr.md",
        "---\ntitle: Kyoto\n---\nTexte.\n",
    );
    let request =
        json!({ "source": "partners/nippon.md", "to": "partners/kyoto.md", "apply": true });
    let reply = editor.post("rename", &request);
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert!(site.path("content/partners/nippon.md").is_file());
    assert!(site.path("content/partners/nippon.fr.md").is_file());
}
