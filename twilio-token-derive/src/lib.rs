//! `#[derive(Grant)]` for [twilio-token](https://docs.rs/twilio-token).
//!
//! Use it through the re-export `twilio_token::Grant`; this crate is an
//! implementation detail whose version is pinned by `twilio-token`.
//!
//! Data flows one way: `ast` gives a typed view of the input with its
//! attributes parsed by `attr`, `valid` checks it and resolves the JSON
//! layout, `expand` generates code from the checked view only, and on any
//! error `fallback` emits every error at once plus stub impls.

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `twilio_token::Grant` (and `twilio_token::DecodeGrant`) for a
/// struct with named fields. See the `twilio_token::Grant` documentation
/// for the attributes.
#[proc_macro_derive(Grant, attributes(grant))]
pub fn derive_grant(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input).into()
}

fn derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = ctxt::Ctxt::new();
    let parsed = ast::Input::from_syn(&cx, input);
    let checked = parsed.and_then(|parsed| valid::check(&cx, parsed));
    match (cx.check(), checked) {
        (Ok(()), Some(checked)) => expand::expand(&checked),
        (result, _) => {
            let errors = result.err().unwrap_or_else(|| {
                syn::Error::new_spanned(&input.ident, "invalid grant definition")
            });
            fallback::expand(input, errors)
        }
    }
}
