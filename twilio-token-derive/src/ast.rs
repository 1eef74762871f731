//! A typed view of the derive input, borrowing from syn.

use syn::{Data, DeriveInput, Fields, GenericArgument, Generics, Ident, PathArguments, Type};

use crate::attr;
use crate::ctxt::Ctxt;

/// The struct a grant is derived for.
pub struct Input<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub attrs: attr::Container,
    pub fields: Vec<Field<'a>>,
}

/// One named field and its attributes.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::Field,
    /// The field's type is written `Option<T>`: it is left out when `None`.
    pub option: bool,
}

impl<'a> Input<'a> {
    /// Reads the input; `None` (with errors recorded) when it is not a
    /// struct with named fields.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::Container::from_attrs(cx, &input.attrs);
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                Fields::Unnamed(_) => {
                    cx.error_spanned_by(
                        &input.ident,
                        "a grant is a JSON object, so `#[derive(Grant)]` needs a struct with named fields; a tuple struct has no field names to use as keys",
                    );
                    return None;
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "`#[derive(Grant)]` needs a struct with named fields; for a grant with no fields write `struct Name {}`",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.syn_error(syn::Error::new(
                    data.enum_token.span,
                    "`#[derive(Grant)]` supports only structs with named fields, not enums",
                ));
                return None;
            }
            Data::Union(data) => {
                cx.syn_error(syn::Error::new(
                    data.union_token.span,
                    "`#[derive(Grant)]` supports only structs with named fields, not unions",
                ));
                return None;
            }
        };
        let fields = fields
            .iter()
            .filter_map(|field| {
                Some(Field {
                    ident: field.ident.as_ref()?,
                    ty: &field.ty,
                    attrs: attr::Field::from_attrs(cx, &field.attrs),
                    option: is_option(&field.ty),
                })
            })
            .collect();
        Some(Input {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            fields,
        })
    }
}

/// `Option<T>`, `std::option::Option<T>` and the like, judged by the last
/// path segment as serde_derive does.
fn is_option(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    if path.qself.is_some() {
        return false;
    }
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    last.ident == "Option"
        && matches!(&last.arguments, PathArguments::AngleBracketed(args)
            if args.args.len() == 1 && matches!(args.args[0], GenericArgument::Type(_)))
}

/// The name of a type written as a plain path (`String`, `u32`), if it is one.
pub fn simple_type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|seg| seg.ident.to_string())
        }
        Type::Reference(reference) => simple_type_name(&reference.elem),
        Type::Group(group) => simple_type_name(&group.elem),
        Type::Paren(paren) => simple_type_name(&paren.elem),
        _ => None,
    }
}
