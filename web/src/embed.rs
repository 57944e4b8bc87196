//! One configurator among possibly several on a host page: what its element
//! asks for (an initial spec, a permalink slot) and the prefix that keeps its
//! element ids apart from every other instance's.
//!
//! The element is either `<msr-expose-configurator spec="…" permalink>` or
//! any element with `data-msr-expose` (`data-msr-expose-spec`,
//! `data-msr-expose-permalink`). The first configurator mounted keeps the
//! plain ids (`node-fqdn`, `cert-pem`, …); the n-th gets `msr-expose-<n>-`
//! before each.

use msr_expose_core::{Code, Finding, Spec, permalink};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// The custom element's tag.
pub const TAG: &str = "MSR-EXPOSE-CONFIGURATOR";

thread_local! {
    static MOUNTED: Cell<u32> = const { Cell::new(0) };
    /// Permalink slots taken by the configurators mounted so far.
    static SLOTS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What one configurator starts from.
#[derive(Properties, Clone, PartialEq, Default)]
pub struct Embedding {
    /// Its element ids' prefix (empty for the first instance).
    pub ids: Ids,
    /// Its permalink slot, when the page opted in.
    pub slot: Option<AttrValue>,
    /// The spec its element gives, parsed.
    pub initial: Option<Rc<Spec>>,
    /// What its element asks for that cannot be done, said above the form.
    pub problems: Rc<Vec<Finding>>,
}

impl Embedding {
    /// Reads the element's attributes; counts the instance.
    pub fn of(root: &web_sys::Element) -> Embedding {
        let n = MOUNTED.with(|m| {
            m.set(m.get() + 1);
            m.get()
        });
        let custom = root.tag_name().eq_ignore_ascii_case(TAG);
        let attr = |name: &str| {
            root.get_attribute(&if custom {
                name.to_string()
            } else {
                format!("data-msr-expose-{name}")
            })
        };
        let mut problems = Vec::new();
        let slot = attr("permalink").and_then(|s| {
            let s = if s.is_empty() {
                permalink::DEFAULT_SLOT.to_string()
            } else {
                s
            };
            let taken = SLOTS.with(|t| t.borrow().contains(&s));
            match permalink::check_slot(&s) {
                Ok(()) if taken => {
                    // Two configurators in one slot would overwrite each other.
                    problems.push(Finding::error(
                        Code::SpecPermalink,
                        "permalink",
                        format!("the permalink slot {s:?} is already another configurator's on this page"),
                        "give each configurator that keeps its spec in the address its own permalink name",
                    ));
                    None
                }
                Ok(()) => {
                    SLOTS.with(|t| t.borrow_mut().push(s.clone()));
                    Some(AttrValue::from(s))
                }
                Err(f) => {
                    problems.push(f);
                    None
                }
            }
        });
        let initial = attr("spec").and_then(|text| match Spec::from_json(&text) {
            Ok(spec) => Some(Rc::new(spec)),
            Err(mut f) => {
                let name = if custom {
                    "spec"
                } else {
                    "data-msr-expose-spec"
                };
                f.message = format!(
                    "the element's {name} attribute cannot be read: {}",
                    f.message
                );
                problems.push(f);
                None
            }
        });
        Embedding {
            ids: Ids(if n == 1 {
                AttrValue::Static("")
            } else {
                AttrValue::from(format!("msr-expose-{n}-"))
            }),
            slot,
            initial,
            problems: Rc::new(problems),
        }
    }
}

/// An instance's id prefix, given to every component as a context.
#[derive(Clone, PartialEq, Default, Debug)]
pub struct Ids(AttrValue);

impl Ids {
    /// The element id `base` has in this instance.
    pub fn id(&self, base: &'static str) -> AttrValue {
        if self.0.is_empty() {
            AttrValue::Static(base)
        } else {
            AttrValue::from(format!("{}{base}", self.0))
        }
    }

    /// The element id of a base made at run time (`method-<name>`).
    pub fn id_of(&self, base: &str) -> AttrValue {
        AttrValue::from(format!("{}{base}", self.0))
    }
}

/// This instance's ids (the plain ones outside a configurator).
#[hook]
pub fn use_ids() -> Ids {
    use_context::<Ids>().unwrap_or_default()
}
