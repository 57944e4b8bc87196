//! Choosing the one interface the cache is exposed through.

use msr_expose_core::Method;
use yew::prelude::*;

/// Props of [`MethodPicker`].
#[derive(Properties, PartialEq)]
pub struct MethodPickerProps {
    /// The chosen method.
    pub method: Method,
    /// Called with the new method.
    pub onchange: Callback<Method>,
    /// What comes first in the section (the platform's picker).
    #[prop_or_default]
    pub children: Html,
}

/// One radio button per method of the registry, with a line each on when
/// to pick it.
#[function_component]
pub fn MethodPicker(props: &MethodPickerProps) -> Html {
    let ids = crate::embed::use_ids();
    // The radio group's name is the instance's too: one name across two
    // configurators would make their radios one group.
    let name = ids.id("method");
    let option = |m: Method| {
        let about = m.page();
        let onchange = props.onchange.reform(move |_: Event| m);
        let id = ids.id_of(&format!("method-{}", m.name()));
        html! {
            <label class="method" for={id.clone()}>
                <input type="radio" name={name.clone()} {id} checked={props.method == m} {onchange} />
                <span class="method-title">{ about.label }</span>
                <span class="method-when">{ about.when }</span>
            </label>
        }
    };
    html! {
        <fieldset class="methods">
            <legend>{ "Platform and interface" }</legend>
            { props.children.clone() }
            <p class="note">{ "Expose the cache through exactly one interface: the one its TLS certificate was made for." }</p>
            { for Method::ALL.iter().map(|m| option(*m)) }
        </fieldset>
    }
}
