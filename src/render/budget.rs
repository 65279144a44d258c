//! A bound on what one template render may cost.
//!
//! Tera has no limit of its own on loops: `{% for i in range(end=100000) %}`
//! nested three deep runs for hours and can fill memory with output. Each
//! output file is rendered into a [`BudgetWriter`] that refuses to grow past
//! `limits.max_output_kib` and, checked every 16 writes, to go on
//! past `limits.render_seconds`. Its refusal is an I/O error inside Tera,
//! which ends the render; [`BudgetWriter::exceeded`] then says why, so the
//! error can name the template, the page and the limit instead of Tera's
//! generic write failure.
//!
//! What it cannot stop: a loop whose body writes nothing at all (a
//! `{% set %}` in a loop, say) is only bounded by Tera's own cap of 100,000
//! elements per `range`.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use crate::config::Limits;

/// Writes between two looks at the clock: `Instant::now` on every write of
/// a 10,000-page build would cost more than the check is worth.
const WRITES_PER_CLOCK_CHECK: u32 = 16;

/// Which limit a render ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Size(u64),
    Time(Duration),
}

pub struct BudgetWriter {
    out: Vec<u8>,
    max_bytes: u64,
    deadline: Instant,
    time: Duration,
    writes: u32,
    exceeded: Option<Exceeded>,
}

impl BudgetWriter {
    pub fn new(limits: &Limits) -> Self {
        BudgetWriter {
            out: Vec::with_capacity(16 * 1024),
            max_bytes: limits.max_output_bytes,
            deadline: Instant::now() + limits.render_time,
            time: limits.render_time,
            writes: 0,
            exceeded: None,
        }
    }

    /// The limit the render ran into, if it did.
    pub fn exceeded(&self) -> Option<Exceeded> {
        self.exceeded
    }

    pub fn into_inner(self) -> Vec<u8> {
        self.out
    }

    fn refuse(&mut self, why: Exceeded) -> io::Result<usize> {
        self.exceeded = Some(why);
        Err(io::Error::other("the render went over its budget"))
    }
}

impl Write for BudgetWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(why) = self.exceeded {
            return self.refuse(why);
        }
        if (self.out.len() + bytes.len()) as u64 > self.max_bytes {
            return self.refuse(Exceeded::Size(self.max_bytes));
        }
        self.writes = self.writes.wrapping_add(1);
        if self.writes.is_multiple_of(WRITES_PER_CLOCK_CHECK) && Instant::now() > self.deadline {
            return self.refuse(Exceeded::Time(self.time));
        }
        self.out.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(bytes: u64, time: Duration) -> Limits {
        Limits {
            max_file_bytes: 1,
            max_output_bytes: bytes,
            render_time: time,
        }
    }

    #[test]
    fn refuses_to_grow_past_the_size() {
        let mut w = BudgetWriter::new(&limits(10, Duration::from_secs(60)));
        w.write_all(b"12345").unwrap();
        assert!(w.write_all(b"678901").is_err());
        assert_eq!(w.exceeded(), Some(Exceeded::Size(10)));
        assert_eq!(w.into_inner(), b"12345");
    }

    #[test]
    fn refuses_to_go_on_past_the_deadline() {
        let mut w = BudgetWriter::new(&limits(u64::MAX, Duration::ZERO));
        std::thread::sleep(Duration::from_millis(2));
        let result = (0..WRITES_PER_CLOCK_CHECK).try_for_each(|_| w.write_all(b"x"));
        assert!(result.is_err());
        assert_eq!(w.exceeded(), Some(Exceeded::Time(Duration::ZERO)));
    }

    #[test]
    fn templates_stop_at_the_budget() {
        let mut tera = tera::Tera::new();
        tera.add_raw_template(
            "loop.html",
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}",
        )
        .unwrap();
        let mut w = BudgetWriter::new(&limits(1024 * 1024, Duration::from_secs(60)));
        let result = tera.render_to("loop.html", &tera::Context::new(), &mut w);
        assert!(result.is_err());
        assert_eq!(w.exceeded(), Some(Exceeded::Size(1024 * 1024)));
    }
}
