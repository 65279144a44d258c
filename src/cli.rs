//! The command line: parse arguments, run the pipeline, print findings,
//! choose the exit code (0 success, 1 content errors, 2 usage errors).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildOptions, Failure};
use crate::diagnostics::Diagnostics;

#[derive(Parser, Debug)]
#[command(
    name = "dossier",
    version,
    about = "A static site generator for sourced briefings"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder [default: <root>/public]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Override `base_url` from site.yaml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Run every check of a build and write nothing
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Args, Debug)]
struct SiteArgs {
    /// The site folder, holding site.yaml, content/ and templates/
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let (options, verb) = match cli.command {
        Command::Build {
            site,
            out,
            base_url,
        } => {
            let out = out.unwrap_or_else(|| site.root.join("public"));
            (
                BuildOptions {
                    root: site.root,
                    out: Some(out),
                    drafts: site.drafts,
                    base_url,
                },
                "built",
            )
        }
        Command::Check { site } => (
            BuildOptions {
                root: site.root,
                out: None,
                drafts: site.drafts,
                base_url: None,
            },
            "checked",
        ),
    };
    match build::run(&options) {
        Ok(outcome) => {
            outcome.diagnostics.print(&options.root);
            let target = options
                .out
                .as_ref()
                .map(|o| format!(" into {}", o.display()))
                .unwrap_or_default();
            let warnings = match outcome.diagnostics.warning_count() {
                0 => String::new(),
                n => format!(", {n} warning{}", if n == 1 { "" } else { "s" }),
            };
            eprintln!(
                "{verb} {} pages ({} files){target} in {:.2} s{warnings}",
                outcome.pages, outcome.files, outcome.seconds
            );
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(d)) => {
            eprintln!("{d}");
            ExitCode::from(2)
        }
        Err(Failure::Content(diagnostics)) => {
            report_failure(&diagnostics, &options);
            ExitCode::from(1)
        }
    }
}

fn report_failure(diagnostics: &Diagnostics, options: &BuildOptions) {
    diagnostics.print(&options.root);
    let kept = match &options.out {
        Some(out) if out.exists() => format!("; {} was left unchanged", out.display()),
        _ => String::new(),
    };
    eprintln!("error: {}{kept}", diagnostics.summary());
}
