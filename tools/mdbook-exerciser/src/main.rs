//! `mdbook-exerciser`, the mdBook renderer: mdBook runs it with the book on
//! standard input, in the renderer's own output folder. See the README.

use std::io::Write;
use std::process::ExitCode;

use log::{debug, error, info, warn};
use mdbook_exerciser::{Options, Page, Problem, extract, write};
use mdbook_renderer::RenderContext;
use mdbook_renderer::book::BookItem;

fn main() -> ExitCode {
    // `RUST_LOG=debug` (or `trace`, `warn`...) sets how much it says.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format(|buf, record| {
            let style = buf.default_level_style(record.level());
            writeln!(
                buf,
                "{style}{:>5}{style:#} [exerciser] {}",
                record.level(),
                record.args()
            )
        })
        .init();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            for problem in &problems {
                error!("{problem}");
            }
            error!("nothing written ({} problem(s))", problems.len());
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Vec<Problem>> {
    let ctx = RenderContext::from_json(std::io::stdin().lock()).map_err(|e| {
        vec![Problem {
            origin: "standard input".to_owned(),
            message: format!("cannot read the book from mdBook: {e:#}"),
        }]
    })?;
    if ctx.version != mdbook_renderer::MDBOOK_VERSION {
        debug!(
            "built with mdBook {}, run by mdBook {}",
            mdbook_renderer::MDBOOK_VERSION,
            ctx.version
        );
    }
    let options = Options::from_config(&ctx.config).map_err(|p| vec![p])?;
    let src = ctx.source_dir();
    let pages: Vec<Page> = ctx
        .book
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(chapter) => Some(chapter),
            _ => None,
        })
        .map(|chapter| {
            let source = chapter.source_path.as_ref().map(|p| src.join(p));
            Page {
                name: match &source {
                    Some(p) => p.strip_prefix(&ctx.root).unwrap_or(p).display().to_string(),
                    None => chapter.name.clone(),
                },
                path: chapter
                    .path
                    .as_ref()
                    .map(|p| p.to_string_lossy().into_owned()),
                raw: source.and_then(|p| std::fs::read_to_string(p).ok()),
                content: chapter.content.clone(),
            }
        })
        .collect();

    let starters = extract(&pages, &options)?;
    for note in &starters.notes {
        warn!("{note}");
    }
    for file in &starters.files {
        debug!("{}: {}", file.origin, file.path);
    }
    let written = write(&ctx.destination, &options, &starters.files)?;
    info!(
        "wrote {} file(s) to `{}`{}",
        written.written,
        written.folder.display(),
        match written.removed {
            0 => String::new(),
            n => format!(", removed {n} the book no longer has"),
        }
    );
    Ok(())
}
