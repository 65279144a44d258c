//! The command line: parse arguments, run the pipeline, print findings,
//! choose the exit code (0 success, 1 content errors, 2 usage errors).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Failure, Outcome};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::lint::external::ExternalOptions;

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
        /// Also write precompressed .gz and .br files (for nginx gzip_static/brotli_static)
        #[arg(long)]
        compress: bool,
    },
    /// Run every check of a build plus the content lints; write nothing
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Also check that every web address cited still answers (uses the network)
        #[arg(long)]
        external: bool,
        /// The built output whose URL history to compare with [default: <root>/public, if built]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Build in memory, serve on 127.0.0.1, rebuild and reload open tabs on every change
    Serve {
        /// The site folder
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; other machines can reach the preview only if you change it
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Leave out pages marked `draft: true` (the preview shows them by
        /// default, with a "Draft: not published" banner)
        #[arg(long)]
        no_drafts: bool,
        /// Kept for old scripts: drafts are shown by default
        #[arg(long, hide = true)]
        drafts: bool,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Send open tabs to the page you just saved
        #[arg(long)]
        navigate: bool,
        /// Also serve the editor at /__dossier/edit/, which can change files
        /// in content/; its link, with a secret token, is printed at start
        #[arg(long)]
        edit: bool,
    },
    /// Create a page from its section's schema: `new partner "Australia"`,
    /// or `new page SECTION "Title"`
    New {
        /// The site folder
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// A section (`partner`, `partners`, `report`…), or `page` followed by a section
        kind: String,
        /// The page's title (after `page`: the section, then the title)
        #[arg(num_args = 1..=2, required = true)]
        rest: Vec<String>,
        /// Scaffold a translation of the existing page into this language
        /// (`--lang fr` makes japan.fr.md beside japan.md)
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
    },
    /// Start a new site in DIR from the briefing's design (templates, styles,
    /// schemas, placeholder pages to fill in), or a minimal one with --bare
    Init(InitArgs),
    /// Write a dossier site from a Zola or Hugo site (the source is only read)
    Import(ImportArgs),
    /// Print the catalogue of components pages can use (Markdown), made from
    /// the site's templates/components/
    Components {
        /// The site folder
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// List every translation and whether it is up to date with its
    /// original; `--mark-current FILE` records that FILE is
    Translations {
        /// The site folder
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Translations to mark as up to date with their original as it is now
        #[arg(long, value_name = "FILE", num_args = 1..)]
        mark_current: Vec<PathBuf>,
    },
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// The generator the site was made for
    #[arg(value_enum)]
    from: ImportFrom,
    /// The Zola or Hugo site's folder (holding content/ and its config file)
    dir: PathBuf,
    /// The new site's folder (must not exist, or be empty) [default: DIR-dossier]
    #[arg(long, value_name = "NEWDIR")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ImportFrom {
    Zola,
    Hugo,
}

#[derive(Args, Debug)]
struct InitArgs {
    /// The new site's folder (must not exist, or be empty)
    dir: PathBuf,
    /// The smallest site that builds, instead of the briefing's design
    #[arg(long)]
    bare: bool,
}

#[derive(Args, Debug)]
struct SiteArgs {
    /// The site folder, holding site.yaml, content/ and templates/
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// How findings are printed
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Snippets and hints on stderr
    Human,
    /// A JSON array on stdout, one object per finding
    Json,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let (options, format) = match cli.command {
        Command::New {
            root,
            kind,
            rest,
            lang,
        } => return new(root, kind, rest, lang),
        Command::Init(args) => return init(args),
        Command::Import(args) => return import(args),
        Command::Components { root } => return components(&root),
        Command::Translations { root, mark_current } => return translations(root, mark_current),
        Command::Serve {
            root,
            port,
            bind,
            no_drafts,
            drafts: _,
            open,
            navigate,
            edit,
        } => {
            let options = crate::serve::ServeOptions {
                root,
                port,
                bind,
                drafts: !no_drafts,
                open,
                navigate,
                edit,
            };
            return match crate::serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => {
                    let one: Diagnostics = std::iter::once(d).collect();
                    one.print(&options.root);
                    ExitCode::from(2)
                }
            };
        }
        Command::Build {
            site,
            out,
            base_url,
            compress,
        } => (
            BuildOptions {
                out: Some(out.clone().unwrap_or_else(|| site.root.join("public"))),
                history: Some(out.unwrap_or_else(|| site.root.join("public"))),
                root: site.root,
                drafts: site.drafts,
                base_url,
                lint: false,
                external: None,
                compress,
            },
            site.format,
        ),
        Command::Check {
            site,
            external,
            out,
        } => (
            BuildOptions {
                history: Some(out.unwrap_or_else(|| site.root.join("public"))),
                root: site.root,
                out: None,
                drafts: site.drafts,
                base_url: None,
                lint: true,
                external: external.then(ExternalOptions::default),
                compress: false,
            },
            site.format,
        ),
    };
    let result = build::run(&options);
    if format == Format::Json {
        let (diagnostics, code) = match result {
            Ok(outcome) => (outcome.diagnostics, ExitCode::SUCCESS),
            Err(Failure::Usage(d)) => (std::iter::once(d).collect(), ExitCode::from(2)),
            Err(Failure::Content(d)) => (d, ExitCode::from(1)),
        };
        println!("{}", diagnostics.to_json_with_summary());
        return code;
    }
    match result {
        Ok(outcome) => {
            report_success(&outcome, &options);
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(d)) => {
            print_one(&d, &options);
            ExitCode::from(2)
        }
        Err(Failure::Content(diagnostics)) => {
            report_failure(&diagnostics, &options);
            ExitCode::from(1)
        }
    }
}

fn print_one(d: &Diagnostic, options: &BuildOptions) {
    let one: Diagnostics = std::iter::once(d.clone()).collect();
    one.print(&options.root);
}

fn report_success(outcome: &Outcome, options: &BuildOptions) {
    outcome.diagnostics.print(&options.root);
    let (verb, target) = match &options.out {
        Some(out) => ("built", format!(" into {}", out.display())),
        None => ("checked", String::new()),
    };
    let warnings = match outcome.diagnostics.warning_count() {
        0 => String::new(),
        n => format!(", {n} warning{}", if n == 1 { "" } else { "s" }),
    };
    eprintln!(
        "{verb} {} pages ({} files){target} in {:.2} s{warnings}",
        outcome.pages, outcome.files, outcome.seconds
    );
}

fn report_failure(diagnostics: &Diagnostics, options: &BuildOptions) {
    diagnostics.print(&options.root);
    let kept = match &options.out {
        Some(out) if out.exists() => format!("; {} was left unchanged", out.display()),
        _ => String::new(),
    };
    eprintln!("error: {}{kept}", diagnostics.summary());
}

fn new(root: PathBuf, kind: String, rest: Vec<String>, lang: Option<String>) -> ExitCode {
    let (section, title) = match (kind.as_str(), rest.as_slice()) {
        ("page", [section, title]) => (section.clone(), title.clone()),
        ("page", [_]) => {
            eprintln!("error: usage: dossier new page SECTION \"Title\"");
            return ExitCode::from(2);
        }
        (_, [title]) => (kind.clone(), title.clone()),
        _ => {
            eprintln!(
                "error: usage: dossier new SECTION \"Title\"  (e.g. dossier new partner \"Australia\")"
            );
            return ExitCode::from(2);
        }
    };
    if let Some(lang) = lang {
        return created(
            &root,
            crate::scaffold::new_translation(&root, &section, &title, &lang),
            |path| {
                format!(
                    "translate every TODO, then run `dossier translations --mark-current {path}`"
                )
            },
        );
    }
    created(
        &root,
        crate::scaffold::new_page(&root, &section, &title),
        |_| "fill in every TODO, then remove `draft: true` to publish".to_string(),
    )
}

/// Reports a file `dossier new` made (its path on stdout, what to do next on
/// stderr), or why it could not.
fn created(
    root: &std::path::Path,
    made: Result<PathBuf, crate::diagnostics::Diagnostic>,
    next: impl Fn(&str) -> String,
) -> ExitCode {
    match made {
        Ok(path) => {
            println!("{}", path.display());
            let shown = path.display().to_string();
            eprintln!("created {shown}: {}", next(&shown));
            ExitCode::SUCCESS
        }
        Err(d) => {
            let one: Diagnostics = std::iter::once(d).collect();
            one.print(root);
            ExitCode::from(1)
        }
    }
}

fn translations(root: PathBuf, mark: Vec<PathBuf>) -> ExitCode {
    use crate::languages::command;
    let failed = |found: Vec<Diagnostic>| {
        let all: Diagnostics = found.into_iter().collect();
        all.print(&root);
        ExitCode::from(1)
    };
    if mark.is_empty() {
        return match command::status(&root) {
            Ok(list) => {
                for s in &list {
                    let state = match &s.recorded {
                        _ if s.up_to_date() => "up to date".to_string(),
                        Some(old) => {
                            format!("stale (made from {old}; the original is now {})", s.current)
                        }
                        None => format!("not marked (the original is {})", s.current),
                    };
                    println!("{}\t{}\t{state}", s.file.display(), s.original.display());
                }
                let stale = list.iter().filter(|s| !s.up_to_date()).count();
                eprintln!("{} translations, {stale} not up to date", list.len());
                ExitCode::SUCCESS
            }
            Err(found) => failed(found),
        };
    }
    for file in &mark {
        match command::mark_current(&root, file) {
            Ok(hash) => println!("{}\ttranslated_from: {hash}", file.display()),
            Err(found) => return failed(found),
        }
    }
    ExitCode::SUCCESS
}

fn init(args: InitArgs) -> ExitCode {
    let kind = if args.bare {
        crate::init::Kind::Bare
    } else {
        crate::init::Kind::Full
    };
    match crate::init::init(&args.dir, kind) {
        Ok(files) => {
            eprintln!(
                "created {} ({} files){}",
                args.dir.display(),
                files.len(),
                if args.bare {
                    ""
                } else {
                    ": replace every TODO (in site.yaml and content/), then `dossier build`"
                }
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            let one: Diagnostics = std::iter::once(d).collect();
            one.print(&args.dir);
            ExitCode::from(2)
        }
    }
}

fn import(args: ImportArgs) -> ExitCode {
    let generator = match args.from {
        ImportFrom::Zola => crate::import::Generator::Zola,
        ImportFrom::Hugo => crate::import::Generator::Hugo,
    };
    let out = args.out.unwrap_or_else(|| {
        let name = args
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        args.dir.with_file_name(format!("{name}-dossier"))
    });
    match crate::import::import(generator, &args.dir, &out) {
        Ok(notes) => {
            for note in &notes {
                eprintln!("note: {note}");
            }
            eprintln!(
                "imported {} into {} ({} notes, listed in {}): build it with `dossier build --root {}`",
                args.dir.display(),
                out.display(),
                notes.len(),
                out.join(crate::import::REPORT_FILE).display(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            let one: Diagnostics = std::iter::once(d).collect();
            one.print(&args.dir);
            ExitCode::from(2)
        }
    }
}

fn components(root: &std::path::Path) -> ExitCode {
    match crate::render::Templates::load(root) {
        Ok(templates) => {
            print!(
                "{}",
                crate::components::catalogue::markdown(&templates.components())
            );
            ExitCode::SUCCESS
        }
        Err(found) => {
            let found: Diagnostics = found.into_iter().collect();
            found.print(root);
            ExitCode::from(1)
        }
    }
}
