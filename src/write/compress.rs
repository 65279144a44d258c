//! Precompressed siblings (`.gz`, `.br`) of text files, for hosts that serve
//! them as they are.

use std::io::{self, Write};

/// Files worth precompressing: text formats a host would compress anyway.
pub fn is_text(relative: &str) -> bool {
    let ext = relative
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "html"
            | "htm"
            | "css"
            | "js"
            | "mjs"
            | "json"
            | "xml"
            | "svg"
            | "txt"
            | "map"
            | "webmanifest"
    )
}

/// Gzip at the highest level, with no file name and a zero timestamp, so
/// the same input always gives the same bytes.
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::best(),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}

pub fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    {
        let mut writer = ::brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out)
}
