//! The published book: where it lives and where its sources are, worked out
//! from the GitHub repository it is built in (`GITHUB_REPOSITORY`, which the
//! publishing workflow `.github/workflows/pages.yml` has), so that no owner
//! is written into the repository. A book built without it is the local
//! book: no repository link, `<this repository>` in the clone command.
//!
//! `cargo xtask build-book --published` builds the published book;
//! `cargo xtask browser-test` builds one for a made-up repository and serves
//! it under its sub-path, as GitHub Pages would.

use std::path::Path;

use crate::{exercises_zip, mdbook, project, run};

/// The mdBook settings of the book published from `repository`
/// (`owner/name`) on `branch`, as environment variables for mdBook
/// (`MDBOOK_OUTPUT__HTML__SITE_URL` sets `output.html.site-url`).
pub fn published_env(repository: &str, branch: &str) -> Result<Vec<(String, String)>, String> {
    let valid = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    let (owner, name) = repository
        .split_once('/')
        .filter(|(o, n)| valid(o) && valid(n))
        .ok_or_else(|| format!("`{repository}` is not a GitHub repository `owner/name`"))?;
    if branch.is_empty() || branch.contains(char::is_whitespace) {
        return Err(format!("`{branch}` is not a branch name"));
    }
    // A repository named `owner.github.io` is served at the root of that
    // domain; any other at `https://owner.github.io/name/`.
    let site_url = if name.eq_ignore_ascii_case(&format!("{owner}.github.io")) {
        "/".to_owned()
    } else {
        format!("/{name}/")
    };
    let url = format!("https://github.com/{owner}/{name}");
    Ok(vec![
        ("MDBOOK_OUTPUT__HTML__SITE_URL".into(), site_url),
        (
            "MDBOOK_OUTPUT__HTML__GIT_REPOSITORY_URL".into(),
            url.clone(),
        ),
        (
            "MDBOOK_OUTPUT__HTML__EDIT_URL_TEMPLATE".into(),
            format!("{url}/edit/{branch}/{{path}}"),
        ),
    ])
}

/// Builds the book, as published from `repository` on `branch`, into `dir`.
pub fn build_published(repository: &str, branch: &str, dir: &Path) -> Result<(), String> {
    let mut cmd = mdbook::command(&["build", "--dest-dir", &dir.to_string_lossy()])?;
    cmd.envs(published_env(repository, branch)?);
    run::checked(&mut cmd)?;
    exercises_zip::pack_book(dir)?;
    Ok(())
}

/// `cargo xtask build-book [--published]`.
pub fn build_command(args: &[String]) -> Result<(), String> {
    match args {
        [] => mdbook::build(),
        [flag] if flag == "--published" => {
            let repository = std::env::var("GITHUB_REPOSITORY").map_err(|_| {
                "--published takes the repository from GITHUB_REPOSITORY (owner/name), which is not set"
            })?;
            let branch = std::env::var("GITHUB_REF_NAME").unwrap_or_else(|_| "main".to_owned());
            let dir = project::root().join("target/book");
            build_published(&repository, &branch, &dir)?;
            println!(
                "the book, as published from {repository}, is in {}",
                project::shown(&dir.join("html"))
            );
            Ok(())
        }
        _ => Err(format!(
            "usage: cargo xtask build-book [--published], not {args:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(env: &[(String, String)], key: &str) -> String {
        env.iter()
            .find(|(k, _)| k.ends_with(key))
            .unwrap()
            .1
            .clone()
    }

    #[test]
    fn a_project_site_lives_under_its_name() {
        let env = published_env("someone/fearless-concurrency", "main").unwrap();
        assert_eq!(value(&env, "SITE_URL"), "/fearless-concurrency/");
        assert_eq!(
            value(&env, "GIT_REPOSITORY_URL"),
            "https://github.com/someone/fearless-concurrency"
        );
        assert_eq!(
            value(&env, "EDIT_URL_TEMPLATE"),
            "https://github.com/someone/fearless-concurrency/edit/main/{path}"
        );
    }

    #[test]
    fn a_user_site_lives_at_the_root() {
        let env = published_env("Someone/someone.github.io", "main").unwrap();
        assert_eq!(value(&env, "SITE_URL"), "/");
    }

    #[test]
    fn nonsense_is_refused() {
        assert!(published_env("no-slash", "main").is_err());
        assert!(published_env("a/b/c", "main").is_err());
        assert!(published_env("a/<b>", "main").is_err());
        assert!(published_env("a/b", "").is_err());
    }
}
