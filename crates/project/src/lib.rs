//! Everything a lunora run decides, over a filesystem trait ([`fs::Fs`]): the codegen plan,
//! ownership (the record of generated classes), images as wrangler reads them, the worker entry,
//! the advisor's inputs, and the planning halves of `adopt`, `rename` and `remove` (one
//! [`transaction::Transaction`] each). Pure: this crate reads through its `Fs` and never writes, spawns or
//! prints; the CLI implements `Fs` on disk, applies plans and renders their diagnostics.

pub mod adopt;
pub mod adopt_entry;
pub mod adopt_layout;
pub mod adopt_legacy;
pub mod adopt_plan;
pub mod advise;
pub mod codes;
pub mod doctor;
mod entry;
pub mod fs;
pub mod generate;
pub mod images;
pub mod manifest;
pub mod package_json;
pub mod plan;
pub mod project;
pub mod remove;
pub mod rename;
mod renames;
pub mod settings;
pub mod source;
pub mod text;
pub mod transaction;
pub mod types;
pub mod vcs;

pub use images::{
    deployed_image, desired_container, missing_image_source, railpack_image, railpack_tag,
    registry_image, DeployedImage, MissingImageSource,
};
pub use manifest::recorded_classes;
pub use plan::{plan, FileChange, MissingReexport, Plan, PlanOptions};
pub use project::{
    read_error, Project, RootError, WorkerEntry, WranglerFile, CONTAINERS_TS,
    GENERATED_CONTAINERS_MODULE, WRANGLER_CONFIGS,
};
pub use renames::PossibleRename;
