//! Images as wrangler reads them: a local path decided on disk, or a registry reference.

use crate::codes;
use crate::fs::Kind;
use crate::project::{Project, CONTAINERS_TS};
use lunora_codegen::normalize;
use lunora_diagnostic::{Diagnostic, Span};
use lunora_parser::{ContainerSpec, ImageSource, InstanceType, StepPercentage};
use lunora_wrangler_config::{DesiredContainer, InstanceTypeValue, RolloutStep};
use std::path::{Path, PathBuf};

/// An image source that is not on disk as the definition says.
pub struct MissingImageSource {
    message: String,
    help: String,
    span: Span,
}

impl MissingImageSource {
    /// As a diagnostic at the `image` value.
    pub fn into_diagnostic(self, severity: lunora_diagnostic::Severity, code: &str) -> Diagnostic {
        Diagnostic::new(severity, code, self.message)
            .with_primary(CONTAINERS_TS, self.span, "image")
            .with_help(self.help)
    }
}

/// What wrangler deploys for a container, decided on disk for a local path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployedImage {
    /// A Dockerfile (any name) that wrangler builds, with its build context directory. Both as
    /// the definition wrote them (relative to the root, or absolute).
    Dockerfile { dockerfile: String, context: String },
    /// A registry reference wrangler pulls (`{ registry }`, or a Railpack image `{ build }`
    /// that `lunora deploy` builds and pushes).
    Registry(String),
}

fn resolve(project: &Project, p: &str) -> PathBuf {
    if Path::new(p).is_absolute() {
        PathBuf::from(p)
    } else {
        project.root.join(p)
    }
}

/// The image of `c` as wrangler reads it. A local path is decided on disk, as wrangler does: an
/// existing file of any name is the Dockerfile and its directory the build context; an existing
/// directory must hold a `Dockerfile`; anything else is an error at the `image` value.
pub fn deployed_image(
    project: &Project,
    c: &ContainerSpec,
) -> std::result::Result<DeployedImage, MissingImageSource> {
    let path = match &c.image {
        ImageSource::Registry { reference } => {
            return Ok(DeployedImage::Registry(reference.clone()))
        }
        ImageSource::Build { .. } => return Ok(DeployedImage::Registry(railpack_image(c))),
        ImageSource::Local { path } => path,
    };
    let on_disk = resolve(project, path);
    // One stat decides file or directory (at 1,000 containers every syscall here counts).
    let kind = project.fs().kind(&on_disk);
    if kind == Some(Kind::File) {
        let context = match path.rsplit_once('/') {
            Some(("", _)) => "/".to_string(),
            Some((dir, _)) => dir.to_string(),
            None => ".".to_string(),
        };
        return Ok(DeployedImage::Dockerfile {
            dockerfile: path.clone(),
            context,
        });
    }
    if kind == Some(Kind::Other) {
        return Err(not_a_file(c, path));
    }
    if kind == Some(Kind::Dir) {
        let inner = project.fs().kind(&on_disk.join("Dockerfile"));
        if inner == Some(Kind::Other) {
            return Err(not_a_file(c, &format!("{path}/Dockerfile")));
        }
        if inner == Some(Kind::File) {
            let dockerfile = if path == "." {
                "./Dockerfile".to_string()
            } else {
                format!("{path}/Dockerfile")
            };
            return Ok(DeployedImage::Dockerfile {
                dockerfile,
                context: path.clone(),
            });
        }
        return Err(MissingImageSource {
            message: format!("the image of `{}` is the directory {path}, which has no Dockerfile", c.export_name),
            help: format!("add {path}/Dockerfile, or point `image` at the Dockerfile itself (any file name works, e.g. \"{path}/app.Dockerfile\")"),
            span: c.image_span,
        });
    }
    Err(MissingImageSource {
        message: format!("the image of `{}` does not exist: {path}", c.export_name),
        help: format!(
            "create it (`lunora generate lunora-container --name={}` scaffolds a directory with a Dockerfile), or point `image` at an existing Dockerfile or directory",
            c.export_name
        ),
        span: c.image_span,
    })
}

/// A Dockerfile that is a FIFO, device or socket: never read (reading one may block forever).
fn not_a_file(c: &ContainerSpec, path: &str) -> MissingImageSource {
    MissingImageSource {
        message: format!(
            "the Dockerfile of `{}` is not a regular file (a FIFO, device or socket): {path}",
            c.export_name
        ),
        help: "replace it with a regular file holding the Dockerfile".to_string(),
        span: c.image_span,
    }
}

/// Checks that a container's image source is on disk: a local path as [`deployed_image`]
/// decides it, and a Railpack `{ build }` directory. `None` for registry images.
pub fn missing_image_source(project: &Project, c: &ContainerSpec) -> Option<MissingImageSource> {
    match &c.image {
        ImageSource::Registry { .. } => None,
        ImageSource::Local { .. } => deployed_image(project, c).err(),
        ImageSource::Build { dir } => (!project.fs().is_dir(&resolve(project, dir))).then(|| MissingImageSource {
            message: format!("the Railpack source directory of `{}` does not exist: {dir}", c.export_name),
            help: format!("create {dir} with the service's source, or point `image` at an existing directory"),
            span: c.image_span,
        }),
    }
}

/// Warns (`containers/image-outside-root`, at the `image` value) for every local image — a
/// Dockerfile or its directory, or a Railpack source directory — that lies outside the project
/// root: a checkout of the project alone cannot build it, and deploys from CI usually see only the
/// project. Lexical: `..` segments and absolute paths are judged without touching the disk.
pub(crate) fn images_outside_root(
    project: &Project,
    containers: &[ContainerSpec],
) -> Vec<Diagnostic> {
    // The root as given (made absolute) and as resolved through symlinks; either may be the
    // prefix the user wrote.
    let roots: Vec<std::path::PathBuf> = [
        std::path::absolute(&project.root).ok(),
        project.fs().canonicalize(&project.root).ok(),
    ]
    .into_iter()
    .flatten()
    .map(|r| normalize(&r))
    .collect();
    let outside = |p: &str| {
        let path = Path::new(p);
        if path.is_absolute() {
            let path = normalize(path);
            !roots.iter().any(|r| path.starts_with(r))
        } else {
            normalize(path).components().next() == Some(std::path::Component::ParentDir)
        }
    };
    let mut out = Vec::new();
    for c in containers {
        let p = match &c.image {
            ImageSource::Local { path } => path,
            ImageSource::Build { dir } => dir,
            ImageSource::Registry { .. } => continue,
        };
        if outside(p) {
            out.push(
                Diagnostic::warning(
                    codes::IMAGE_OUTSIDE_ROOT,
                    format!("the image of `{}` ({p}) is outside the project root", c.export_name),
                )
                .with_primary(CONTAINERS_TS, c.image_span, "outside the project root")
                .with_help("move the Dockerfile (and its build context) under the project root, or publish the image and use `image: { registry: \"…:tag\" }`"),
            );
        }
    }
    out
}

/// The registry image wrangler pulls for `c` (`{ registry }`, or the Railpack image of
/// `{ build }`); `None` for a local Dockerfile.
pub fn registry_image(c: &ContainerSpec) -> Option<String> {
    match &c.image {
        ImageSource::Registry { reference } => Some(reference.clone()),
        ImageSource::Build { .. } => Some(railpack_image(c)),
        ImageSource::Local { .. } => None,
    }
}

/// How wrangler should see a validated container whose image is `image`.
pub fn desired_container(c: &ContainerSpec, image: &DeployedImage) -> DesiredContainer {
    let (image, image_build_context, image_vars) = match image {
        DeployedImage::Dockerfile {
            dockerfile,
            context,
        } => (
            dockerfile.clone(),
            Some(context.clone()),
            c.build_args.clone().filter(|m| !m.is_empty()),
        ),
        DeployedImage::Registry(reference) => (reference.clone(), None, None),
    };
    DesiredContainer {
        class_name: c.class_name.clone(),
        binding: c.binding.clone(),
        image,
        image_build_context,
        image_vars,
        instance_type: c.instance_type.as_ref().map(|t| match t {
            InstanceType::Named(n) => InstanceTypeValue::Named(n.clone()),
            InstanceType::Custom {
                vcpu,
                memory_mib,
                disk_mb,
            } => InstanceTypeValue::Custom {
                vcpu: *vcpu,
                memory_mib: *memory_mib,
                disk_mb: *disk_mb,
            },
        }),
        max_instances: c.max_instances,
        name: c.name.clone(),
        rollout_step_percentage: c
            .rollout
            .as_ref()
            .and_then(|r| r.step_percentage.as_ref())
            .map(|s| match s {
                StepPercentage::One(n) => RolloutStep::One(*n),
                StepPercentage::Steps(v) => RolloutStep::Steps(v.clone()),
            }),
        rollout_active_grace_period: c.rollout.as_ref().and_then(|r| r.grace_period_seconds),
    }
}

/// The local tag Railpack builds a `{ build }` container into.
pub fn railpack_tag(c: &ContainerSpec) -> String {
    lunora_naming::railpack_tag_for(&c.export_name)
}

/// The image wrangler deploys for a `{ build }` container: the Railpack tag in the Cloudflare
/// Registry (wrangler adds the account namespace).
pub fn railpack_image(c: &ContainerSpec) -> String {
    format!("registry.cloudflare.com/{}", railpack_tag(c))
}
