//! dossier: a static site generator for sourced briefings.
//!
//! The pipeline runs one way, each stage a module:
//! [`config`] → [`load`] → [`model`] → [`render`] → [`write`], driven by
//! [`build`]. See ARCHITECTURE.md for the map.

// A `Diagnostic` is ~150 bytes and is only ever returned on the cold path of
// a failed check; boxing it everywhere would cost clarity for nothing.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod citations;
pub mod cli;
pub mod components;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod history;
pub mod html;
pub mod i18n;
pub mod images;
pub mod import;
pub mod init;
pub mod languages;
pub mod lint;
pub mod load;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod write;
pub mod yaml;
