//! A real `dossier serve` process on 127.0.0.1 for end-to-end tests, raw
//! HTTP requests to it, and its live-reload events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::TestSite;

/// A `dossier serve` process, stopped (by its PID) when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    log: mpsc::Receiver<String>,
}

/// A raw response: status, lower-cased headers, body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    /// On a free port.
    pub fn start(site: &TestSite) -> Server {
        Server::start_with(site, "0", &[], &[])
    }

    /// `port` ("0" for a free one), extra arguments and environment.
    pub fn start_with(site: &TestSite, port: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
        command
            .args(["serve", "--port", port, "--root", &site.root_arg()])
            .args(args)
            .env_remove("DOSSIER_EDITOR")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start dossier serve");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve prints its address");
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .split('/')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
            }
        };
        Server {
            child,
            port,
            log: rx,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `raw` as it is (request line, headers, body) and reads the
    /// whole response; the connection should say `Connection: close`.
    pub fn raw(&self, raw: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        // The server may refuse before everything is sent: reading tells.
        let _ = stream.write_all(raw);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        parse_reply(&response)
    }

    /// A request with `Host: 127.0.0.1:PORT` and the extra header lines.
    pub fn request_with(&self, method: &str, path: &str, headers: &[&str]) -> Reply {
        let mut raw = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
            self.port
        );
        for header in headers {
            raw.push_str(header);
            raw.push_str("\r\n");
        }
        raw.push_str("\r\n");
        self.raw(raw.as_bytes())
    }

    /// Raw HTTP/1.1 request; returns (status, body). Paths are sent as given.
    pub fn request(&self, method: &str, path: &str) -> (u16, String) {
        let reply = self.request_with(method, path, &[]);
        (reply.status, reply.body)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path)
    }

    /// Forgets the log lines received so far.
    pub fn drain_log(&self) {
        while self.log.try_recv().is_ok() {}
    }

    /// Waits for a log line containing `needle`.
    pub fn wait_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .log
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no log line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// The server's resident memory, from /proc (Linux).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse_reply(response: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

/// An open live-reload connection: each event's name and data.
pub fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /__dossier/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        let mut data = Vec::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push(d.to_string());
            } else if line.is_empty() && !event.is_empty() {
                let done = (std::mem::take(&mut event), data.join("\n"));
                data.clear();
                if tx.send(done).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

/// The next event with this name (others are skipped); its data.
pub fn next_named(rx: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let (event, data) = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no {name:?} event"));
        if event == name {
            return data;
        }
    }
}

/// The next `reload` or `errors` event's name: what a rebuild ended with
/// (`hello` and `findings` are skipped).
pub fn next_event(rx: &mpsc::Receiver<(String, String)>) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let (event, _) = rx.recv_timeout(left).expect("an event");
        if event != "hello" && event != "findings" {
            return event;
        }
    }
}
