//! Advisor lints: what would fail at deploy, break at 3 a.m., or cost money, said at codegen.
//! Pure: the validated model and Dockerfile texts in, diagnostics (and a cost report) out; the
//! CLI finds and reads the Dockerfiles.

pub mod codes;
pub mod dockerfile;
mod lints;
pub mod platform;

pub use lints::{lint_dockerfile, DockerfileText};
