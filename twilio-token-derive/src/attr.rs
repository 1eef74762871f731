//! `#[grant(...)]` attributes parsed into plain Rust values.
//!
//! Parsing reports unknown and duplicated keys; how the keys combine is
//! checked later, in `valid`.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr, Path};

use crate::ctxt::Ctxt;

const CONTAINER_KEYS: &str = "`key`, `validate`";
const FIELD_KEYS: &str = "`rename`, `skip`, `skip_if`, `flatten`, `sid`, `non_empty`";

/// A `key = "value"` attribute with where it was written.
pub struct Valued<T> {
    pub value: T,
    pub span: Span,
}

/// `#[grant(key = "...", validate = "...")]` on the struct.
#[derive(Default)]
pub struct Container {
    pub key: Option<Valued<String>>,
    pub validate: Option<Valued<Path>>,
}

/// `#[grant(...)]` on a field.
#[derive(Default)]
pub struct Field {
    pub rename: Option<Valued<String>>,
    pub skip: Option<Span>,
    pub skip_if: Option<Valued<Path>>,
    pub flatten: Option<Span>,
    pub sid: Option<Valued<String>>,
    pub non_empty: Option<Span>,
}

impl Container {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = Container::default();
        parse_keys(cx, attrs, "grant", CONTAINER_KEYS, |meta| {
            match attr_name(meta).as_str() {
                "key" => set_once(cx, meta, &mut out.key, string_value(meta)?),
                "validate" => set_once(cx, meta, &mut out.validate, path_value(meta)?),
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

impl Field {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = Field::default();
        parse_keys(cx, attrs, "grant field", FIELD_KEYS, |meta| {
            match attr_name(meta).as_str() {
                "rename" => set_once(cx, meta, &mut out.rename, string_value(meta)?),
                "skip_if" => set_once(cx, meta, &mut out.skip_if, path_value(meta)?),
                "sid" => set_once(cx, meta, &mut out.sid, string_value(meta)?),
                "skip" => flag(cx, meta, &mut out.skip)?,
                "flatten" => flag(cx, meta, &mut out.flatten)?,
                "non_empty" => flag(cx, meta, &mut out.non_empty)?,
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

/// Runs `key` on each key of every `#[grant(...)]`; a key it does not know
/// (it returns `false`) is reported as unknown, with the `known` ones.
fn parse_keys(
    cx: &Ctxt,
    attrs: &[Attribute],
    what: &str,
    known: &str,
    mut key: impl FnMut(&ParseNestedMeta) -> syn::Result<bool>,
) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("grant")) {
        let result = attr.parse_nested_meta(|meta| {
            if !key(&meta)? {
                cx.syn_error(unknown(&meta, what, known));
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
}

fn attr_name(meta: &ParseNestedMeta) -> String {
    meta.path
        .get_ident()
        .map_or_else(|| "?".to_owned(), ToString::to_string)
}

fn unknown(meta: &ParseNestedMeta, what: &str, known: &str) -> syn::Error {
    meta.error(format_args!(
        "unknown {what} attribute `{}`; expected one of {known}",
        attr_name(meta)
    ))
}

fn literal(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    let name = attr_name(meta);
    let value = meta.value().map_err(|_| {
        meta.error(format_args!(
            "`{name}` takes a string: write `{name} = \"...\"`"
        ))
    })?;
    value.parse::<LitStr>().map_err(|error| {
        syn::Error::new(
            error.span(),
            format_args!("`{name}` takes a string literal: write `{name} = \"...\"`"),
        )
    })
}

fn path_value(meta: &ParseNestedMeta) -> syn::Result<Valued<Path>> {
    let lit = literal(meta)?;
    let name = attr_name(meta);
    let value = lit.parse::<Path>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format_args!(
                "`{name}` takes the path of a function, such as `{name} = \"is_false\"` or `{name} = \"Self::check\"`"
            ),
        )
    })?;
    Ok(Valued {
        value,
        span: lit.span(),
    })
}

fn string_value(meta: &ParseNestedMeta) -> syn::Result<Valued<String>> {
    let lit = literal(meta)?;
    Ok(Valued {
        value: lit.value(),
        span: lit.span(),
    })
}

fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.syn_error(meta.error(format_args!(
            "duplicate grant attribute `{}`: remove one of them",
            attr_name(meta)
        )));
    } else {
        *slot = Some(value);
    }
}

fn flag(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<Span>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let name = attr_name(meta);
        return Err(meta.error(format_args!(
            "`{name}` takes no value: write `#[grant({name})]`"
        )));
    }
    set_once(cx, meta, slot, meta.path.segments[0].ident.span());
    Ok(())
}

/// Consumes `= value` after an unknown key so parsing can go on and report
/// later mistakes in the same compile.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|_| Ok(()))?;
    }
    Ok(())
}
