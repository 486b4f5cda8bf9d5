//! VitePress: its configuration → a [`Project`], its Markdown → ours.

use std::path::Path;

use super::{Adapter, Project, Report, Tool};

/// The VitePress adapter.
pub(crate) struct VitePress;

impl Adapter for VitePress {
    fn read(&self, source: &Path, report: &mut Report) -> anyhow::Result<Project> {
        super::generic::Generic(Tool::Vitepress).read(source, report)
    }
}
