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
    pub kind: Kind,
}

/// Text, owned or borrowed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// `String`: decoded without serde, and allocated only when the grant
    /// is built (the verifier's check of a built-in grant builds nothing).
    Owned,
    /// `&str` (or `str`): decoded by serde.
    Borrowed,
}

/// What a field's type is, as far as the derive needs to know: judged once,
/// here, by how the type is written (the last path segment, as
/// serde_derive judges `Option`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `String` or `&str`: written as text.
    Text(Text),
    /// `Option<T>`: left out when `None`; `Some` when `T` is text.
    Option(Option<Text>),
    /// `bool`, a number, `char`, `Vec`, a tuple, an array or a slice:
    /// neither text nor an object.
    Scalar,
    /// Anything else.
    Other,
}

impl<'a> Input<'a> {
    /// Reads the input; `None` (with errors recorded) when it is not a
    /// struct with named fields.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::Container::from_attrs(cx, &input.attrs);
        let (span, message) = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => {
                    let fields = named
                        .named
                        .iter()
                        .filter_map(|field| {
                            Some(Field {
                                ident: field.ident.as_ref()?,
                                ty: &field.ty,
                                attrs: attr::Field::from_attrs(cx, &field.attrs),
                                kind: Kind::of(&field.ty),
                            })
                        })
                        .collect();
                    return Some(Input {
                        ident: &input.ident,
                        generics: &input.generics,
                        attrs,
                        fields,
                    });
                }
                Fields::Unnamed(_) => (
                    input.ident.span(),
                    "a grant is a JSON object, so `#[derive(Grant)]` needs a struct with named fields; a tuple struct has no field names to use as keys",
                ),
                Fields::Unit => (
                    input.ident.span(),
                    "`#[derive(Grant)]` needs a struct with named fields; for a grant with no fields write `struct Name {}`",
                ),
            },
            Data::Enum(data) => (
                data.enum_token.span,
                "`#[derive(Grant)]` supports only structs with named fields, not enums",
            ),
            Data::Union(data) => (
                data.union_token.span,
                "`#[derive(Grant)]` supports only structs with named fields, not unions",
            ),
        };
        cx.syn_error(syn::Error::new(span, message));
        None
    }
}

const SCALARS: &[&str] = &[
    "bool", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
    "isize", "f32", "f64", "Vec",
];

impl Kind {
    fn of(ty: &Type) -> Kind {
        match ty {
            Type::Reference(reference) => match Kind::of(&reference.elem) {
                Kind::Text(_) => Kind::Text(Text::Borrowed),
                _ => Kind::Other,
            },
            Type::Group(group) => Kind::of(&group.elem),
            Type::Paren(paren) => Kind::of(&paren.elem),
            Type::Tuple(_) | Type::Array(_) | Type::Slice(_) => Kind::Scalar,
            Type::Path(path) if path.qself.is_none() => {
                let Some(last) = path.path.segments.last() else {
                    return Kind::Other;
                };
                let name = last.ident.to_string();
                match &last.arguments {
                    PathArguments::None if name == "String" => Kind::Text(Text::Owned),
                    PathArguments::None if name == "str" => Kind::Text(Text::Borrowed),
                    PathArguments::AngleBracketed(args)
                        if name == "Option" && args.args.len() == 1 =>
                    {
                        match &args.args[0] {
                            GenericArgument::Type(inner) => match Kind::of(inner) {
                                Kind::Text(text) => Kind::Option(Some(text)),
                                _ => Kind::Option(None),
                            },
                            _ => Kind::Other,
                        }
                    }
                    _ if SCALARS.contains(&name.as_str()) => Kind::Scalar,
                    _ => Kind::Other,
                }
            }
            _ => Kind::Other,
        }
    }
}
