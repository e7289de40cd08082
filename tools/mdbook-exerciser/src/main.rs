//! The exerciser: the book's `starters` renderer (see `book.toml`).
//!
//! mdBook hands it the whole book on standard input. Every code block that
//! follows a `<!-- File PATH -->` comment is written to `PATH` under the
//! renderer's output directory, `target/book/starters/`, whose tree mirrors
//! `exercises/`:
//!
//! ```text
//! <!-- File chapter-1/src/spawn_all.rs -->   ->   exercises/chapter-1/src/spawn_all.rs
//! ```
//!
//! `cargo xtask verify` checks that this output and `exercises/` agree, and
//! xtask packs it into `exercises.zip`.

use mdbook_exerciser::{Page, extract, write_files};
use mdbook_renderer::RenderContext;
use mdbook_renderer::book::BookItem;
use std::process::ExitCode;

fn main() -> ExitCode {
    let ctx = match RenderContext::from_json(std::io::stdin().lock()) {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("exerciser: cannot read the book from mdBook: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let src = ctx.source_dir();
    let pages: Vec<Page> = ctx
        .book
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(ch) => Some(ch),
            _ => None,
        })
        .map(|ch| {
            let source = ch.source_path.as_ref().map(|p| src.join(p));
            Page {
                name: source
                    .as_ref()
                    .map(|p| p.strip_prefix(&ctx.root).unwrap_or(p).display().to_string())
                    .unwrap_or_else(|| ch.name.clone()),
                raw: source.and_then(|p| std::fs::read_to_string(p).ok()),
                content: ch.content.clone(),
            }
        })
        .collect();

    let files = match extract(&pages) {
        Ok(files) => files,
        Err(errors) => {
            for error in &errors {
                eprintln!("exerciser: {error}");
            }
            eprintln!("exerciser: nothing written ({} problem(s))", errors.len());
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = write_files(&ctx.destination, &files) {
        eprintln!(
            "exerciser: cannot write to {}: {e}",
            ctx.destination.display()
        );
        return ExitCode::FAILURE;
    }

    ExitCode::SUCCESS
}
