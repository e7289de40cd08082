//! Helpers for Chapter 5's tests. They ask the compiler whether a type is
//! `Send` or `Sync` while the tests are being built, so a test can check
//! (and report) the answer at run time instead of failing to compile.
//!
//! The trick (Section 5.4 shows it too): `Probe<T>` always has the trait
//! constant `Fallback::SEND`, which is `false`; it has an inherent constant
//! `SEND`, which is `true`, only when `T: Send`. Rust prefers an inherent
//! item to a trait item, so `<Probe<T>>::SEND` is `true` exactly when
//! `T: Send`. This works for concrete types only, which is all the tests
//! need.

use std::any::type_name;
use std::marker::PhantomData;
use std::panic;
use std::thread;

pub struct Probe<T: ?Sized>(PhantomData<T>);

pub trait Fallback {
    const SEND: bool = false;
    const SYNC: bool = false;
}

impl<T: ?Sized> Fallback for Probe<T> {}

impl<T: ?Sized + Send> Probe<T> {
    pub const SEND: bool = true;
}

impl<T: ?Sized + Sync> Probe<T> {
    pub const SYNC: bool = true;
}

/// `true` if the type is `Send`, as the compiler sees it.
macro_rules! is_send {
    ($ty:ty) => {{
        #[allow(unused_imports)]
        use $crate::common::Fallback as _;
        <$crate::common::Probe<$ty>>::SEND
    }};
}

/// `true` if the type is `Sync`, as the compiler sees it.
macro_rules! is_sync {
    ($ty:ty) => {{
        #[allow(unused_imports)]
        use $crate::common::Fallback as _;
        <$crate::common::Probe<$ty>>::SYNC
    }};
}

pub(crate) use {is_send, is_sync};

/// A value that the test would like to move to another thread.
pub struct Elsewhere<T>(pub T);

/// The value's type is not `Send`; its name.
#[derive(Debug)]
pub struct NotSend(pub String);

/// `Arena<String>` rather than `chapter_5::arena::Arena<alloc::string::String>`.
pub fn short_type_name<T: ?Sized>() -> String {
    let full = type_name::<T>();
    let mut short = String::new();
    let mut word = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            short.push_str(word.rsplit("::").next().unwrap_or(""));
            word.clear();
            short.push(c);
        }
    }
    short.push_str(word.rsplit("::").next().unwrap_or(""));
    short
}

#[allow(dead_code)] // never used while a value is not Send
impl<T: Send + 'static> Elsewhere<T> {
    /// Moves the value to a new thread, runs `f` on it there, and returns
    /// what `f` returned. A panic in `f` is passed on.
    pub fn run<R: Send + 'static>(
        self,
        f: impl FnOnce(T) -> R + Send + 'static,
    ) -> Result<R, NotSend> {
        let value = self.0;
        match thread::spawn(move || f(value)).join() {
            Ok(result) => Ok(result),
            Err(payload) => panic::resume_unwind(payload),
        }
    }
}

/// What `Elsewhere::run` does when the value is not `Send`: nothing.
#[allow(dead_code)] // never used when every value is Send
pub trait StaysHere<T>: Sized {
    fn run<R>(self, _f: impl FnOnce(T) -> R) -> Result<R, NotSend> {
        Err(NotSend(short_type_name::<T>()))
    }
}

impl<T> StaysHere<T> for Elsewhere<T> {}

/// Runs `$f` on `$value` on another thread if the value's type is `Send`;
/// otherwise evaluates to `Err(NotSend(type name))`.
macro_rules! on_another_thread {
    ($value:expr, $f:expr) => {{
        #[allow(unused_imports)]
        use $crate::common::StaysHere as _;
        $crate::common::Elsewhere($value).run($f)
    }};
}

pub(crate) use on_another_thread;

/// Checks that `program`, a `main` that uses the crate under test as
/// `chapter_5`, compiles: some promises (an `unsafe impl` for borrowed
/// values too, say) can only be checked by the compiler, and a test binary
/// that did not compile could not report it. Runs `cargo check` on a small
/// project under `target/compile-fail-tasks/`, next to the compile-fail
/// tasks; returns the compiler's errors if the program does not compile.
pub fn compiles(exercise: &str, name: &str, program: &str) -> Result<(), String> {
    use std::path::PathBuf;
    use std::process::Command;
    use std::{env, fs};

    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("run the tests with `cargo test`"));
    let package = env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "chapter-5".to_owned());
    let exe = env::current_exe().expect("the test binary's path");
    // The test binary lives in target/<profile>/deps.
    let target = exe
        .ancestors()
        .nth(3)
        .expect("the test binary lives in target/<profile>/deps")
        .join("compile-fail-tasks");
    let project = target.join(format!("{package}-{exercise}-must-compile"));
    let lib = manifest_dir.join("src/lib.rs");
    let manifest = format!(
        "[package]\nname = \"must-compile\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\nautobins = false\n\n[lib]\nname = \"chapter_5\"\npath = {:?}\n\n\
         [[bin]]\nname = \"{name}\"\npath = \"{name}.rs\"\n\n[workspace]\n",
        lib.to_str().expect("a UTF-8 path")
    );
    let write = |file: PathBuf, text: &str| {
        // Unchanged files keep their time, so cargo does not rebuild.
        if fs::read_to_string(&file).ok().as_deref() != Some(text) {
            fs::write(&file, text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        }
    };
    fs::create_dir_all(&project).expect("cannot create the project folder");
    write(project.join("Cargo.toml"), &manifest);
    write(project.join(format!("{name}.rs")), program);
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", target.join("target"))
        .args([
            "check",
            "--offline",
            "--quiet",
            "--color=never",
            "--bin",
            name,
        ])
        .output()
        .expect("cannot run cargo");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
