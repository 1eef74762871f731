//! Semantic checks on the typed view, and the JSON layout they resolve.
//!
//! Every mistake is recorded in the context; nothing here generates code.

use proc_macro2::Span;
use syn::{Generics, Ident, Path, Type};

use crate::ast::{self, Kind};
use crate::ctxt::Ctxt;

/// A grant whose attributes passed every check.
pub struct Grant<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub key: String,
    pub validate: Option<Path>,
    pub fields: Vec<Field<'a>>,
    /// The payload's JSON object, in field order.
    pub layout: Vec<Node>,
}

/// A field and what it becomes in the payload.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub kind: Kind,
    pub skip: bool,
    pub skip_if: Option<Path>,
    pub sid: Option<String>,
    pub non_empty: bool,
}

/// One entry of the payload object.
pub enum Node {
    /// `"key": <fields[index]>`
    Value { key: String, field: usize },
    /// `"key": { ... }`, present when any field below it is.
    Object { key: String, children: Vec<Node> },
    /// The entries of `fields[index]`, itself an object, merged here.
    Flatten { field: usize },
}

pub fn check<'a>(cx: &Ctxt, input: ast::Input<'a>) -> Option<Grant<'a>> {
    let key = check_key(cx, &input);
    let mut fields = Vec::with_capacity(input.fields.len());
    let mut layout = Vec::new();
    let idents: Vec<&Ident> = input.fields.iter().map(|field| field.ident).collect();
    let mut flattened = false;
    for (index, field) in input.fields.into_iter().enumerate() {
        let attrs = &field.attrs;
        if let Some(skip) = attrs.skip {
            let others = [
                attrs.rename.as_ref().map(|_| "rename"),
                attrs.skip_if.as_ref().map(|_| "skip_if"),
                attrs.flatten.map(|_| "flatten"),
                attrs.sid.as_ref().map(|_| "sid"),
                attrs.non_empty.map(|_| "non_empty"),
            ];
            for other in others.into_iter().flatten() {
                cx.syn_error(syn::Error::new(
                    skip,
                    format_args!(
                        "`skip` cannot be combined with `{other}`: a skipped field is never sent, so remove one of them"
                    ),
                ));
            }
        }
        if let Some(flatten) = attrs.flatten {
            check_flatten(cx, &field, flatten);
            if flattened && attrs.skip.is_none() {
                cx.syn_error(syn::Error::new(
                    flatten,
                    "only one field can be `flatten`: the entries no other field takes are read back into one field; merge the flattened fields into one type",
                ));
            }
            flattened |= attrs.skip.is_none();
        }
        if let Some(sid) = &attrs.sid {
            check_sid(cx, &field, sid.span, &sid.value);
        }
        if let Some(non_empty) = attrs.non_empty {
            check_text(cx, &field, non_empty, "non_empty");
        }

        if attrs.skip.is_none() {
            if attrs.flatten.is_some() {
                layout.push(Node::Flatten { field: index });
            } else {
                let (path, span) = match &attrs.rename {
                    Some(rename) => (rename.value.clone(), rename.span),
                    None => (unraw(field.ident), field.ident.span()),
                };
                insert(cx, &mut layout, &idents, index, &path, span);
            }
        }
        fields.push(Field {
            ident: field.ident,
            ty: field.ty,
            kind: field.kind,
            skip: attrs.skip.is_some(),
            non_empty: attrs.non_empty.is_some(),
            skip_if: field.attrs.skip_if.map(|path| path.value),
            sid: field.attrs.sid.map(|sid| sid.value),
        });
    }
    Some(Grant {
        ident: input.ident,
        generics: input.generics,
        key: key?,
        validate: input.attrs.validate.map(|path| path.value),
        fields,
        layout,
    })
}

fn check_key(cx: &Ctxt, input: &ast::Input) -> Option<String> {
    let (span, message) = match &input.attrs.key {
        None => (
            input.ident.span(),
            "missing `#[grant(key = \"...\")]`: name the key this grant is stored under in the token's `grants` object, e.g. `#[grant(key = \"video\")]`",
        ),
        Some(key) if key.value.is_empty() => (
            key.span,
            "the grant key is empty: write the name Twilio expects, e.g. `#[grant(key = \"video\")]`",
        ),
        Some(key) if key.value == "identity" => (
            key.span,
            "`identity` is reserved: the token's identity is stored beside the grants under that key; choose another key",
        ),
        Some(key) => return Some(key.value.clone()),
    };
    cx.syn_error(syn::Error::new(span, message));
    None
}

fn check_flatten(cx: &Ctxt, field: &ast::Field, span: Span) {
    let attrs = &field.attrs;
    if attrs.rename.is_some() {
        cx.syn_error(syn::Error::new(
            span,
            "`flatten` cannot be combined with `rename`: a flattened field's entries keep their own names; remove one of them",
        ));
    }
    if attrs.skip_if.is_some() {
        cx.syn_error(syn::Error::new(
            span,
            "`flatten` cannot be combined with `skip_if`: a flattened field has no entry of its own to leave out; leave out its entries in its own type (`#[serde(skip_serializing_if = \"…\")]`) or make it an `Option` inside that type",
        ));
    }
    for (name, set) in [
        ("sid", attrs.sid.is_some()),
        ("non_empty", attrs.non_empty.is_some()),
    ] {
        if set {
            cx.syn_error(syn::Error::new(
                span,
                format_args!("`flatten` cannot be combined with `{name}`: `{name}` checks a text value, and a flattened field is an object"),
            ));
        }
    }
    if matches!(field.kind, Kind::Scalar | Kind::Text(_) | Kind::Option(_)) {
        cx.syn_error(syn::Error::new(
            span,
            "`flatten` needs a field that serializes to a JSON object (a struct or a map such as `serde_json::Map<String, Value>`); this type does not",
        ));
    }
}

fn check_sid(cx: &Ctxt, field: &ast::Field, span: Span, prefix: &str) {
    let valid = prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_uppercase());
    if !valid {
        cx.syn_error(syn::Error::new(
            span,
            format_args!(
                "`sid = \"{prefix}\"` is not a SID prefix: write the two upper-case letters every SID of that kind starts with, e.g. `sid = \"AP\"`"
            ),
        ));
    }
    check_text(cx, field, span, "sid");
}

fn check_text(cx: &Ctxt, field: &ast::Field, span: Span, name: &str) {
    if field.kind == Kind::Scalar {
        cx.syn_error(syn::Error::new(
            span,
            format_args!(
                "`{name}` checks text: use it on a `String`, `&str` or `Option<String>` field"
            ),
        ));
    }
}

/// A raw identifier `r#type` is sent as `type`.
fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map_or(name.clone(), str::to_owned)
}

/// Adds the field at `index` under the dotted `path`, reporting a path that
/// is malformed, taken twice, or both a value and an object.
fn insert(
    cx: &Ctxt,
    layout: &mut Vec<Node>,
    idents: &[&Ident],
    index: usize,
    path: &str,
    span: Span,
) {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|segment| segment.is_empty()) {
        cx.syn_error(syn::Error::new(
            span,
            format_args!(
                "`{path}` is not a JSON path: use names separated by single dots, e.g. `rename = \"outgoing.application_sid\"`"
            ),
        ));
        return;
    }
    let name = |field: usize| idents[field].to_string();
    let mut level = layout;
    let last = segments.len() - 1;
    for (depth, segment) in segments.iter().enumerate() {
        let prefix = segments[..=depth].join(".");
        let existing = level.iter().position(|node| match node {
            Node::Value { key, .. } | Node::Object { key, .. } => key == segment,
            Node::Flatten { .. } => false,
        });
        match existing {
            None if depth == last => {
                level.push(Node::Value {
                    key: (*segment).to_owned(),
                    field: index,
                });
                return;
            }
            None => {
                level.push(Node::Object {
                    key: (*segment).to_owned(),
                    children: Vec::new(),
                });
                let Some(Node::Object { children, .. }) = level.last_mut() else {
                    return;
                };
                level = children;
            }
            Some(position) => match &mut level[position] {
                Node::Value { field, .. } => {
                    let message = if depth == last {
                        format!(
                            "fields `{}` and `{}` are both sent as `{prefix}`: rename one of them",
                            name(*field),
                            name(index)
                        )
                    } else {
                        format!(
                            "`{prefix}` cannot be both a value (field `{}`) and an object (field `{}` is sent as `{path}`): rename one of them",
                            name(*field),
                            name(index)
                        )
                    };
                    cx.syn_error(syn::Error::new(span, message));
                    return;
                }
                Node::Object { children, .. } => {
                    if depth == last {
                        cx.syn_error(syn::Error::new(
                            span,
                            format_args!(
                                "`{prefix}` cannot be both a value (field `{}`) and an object holding other fields: rename one of them",
                                name(index)
                            ),
                        ));
                        return;
                    }
                    level = children;
                }
                Node::Flatten { .. } => return,
            },
        }
    }
}
