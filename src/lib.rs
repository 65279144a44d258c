//! dossier: a static site generator for sourced briefings.
//!
//! The pipeline runs one way, each stage a module:
//! [`config`] → [`load`] → [`model`] → [`render`] → [`write`], driven by
//! [`build`]. See ARCHITECTURE.md for the map.

pub mod build;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod render;
pub mod write;
pub mod yaml;
