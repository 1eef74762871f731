//! Code generation from the checked view only: `Grant` (the key, one
//! writer, `validate`), `DecodeGrant` (one decoder) and `IntoGrant`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Generics, Ident};

use crate::ast::{Kind, Text};
use crate::valid::{Field, Grant, Node};

pub fn expand(grant: &Grant) -> TokenStream {
    let grant_impl = grant_impl(grant);
    let decode_impl = decode_impl(grant);
    let into_grant = into_grant(grant.ident, grant.generics);
    quote! {
        #[allow(deprecated)]
        const _: () = {
            #grant_impl
            #decode_impl
            #into_grant
        };
    }
}

/// `IntoGrant`: a derived grant is taken by value and boxed. Also emitted
/// by the fallback, so a mistake in the derive does not cascade into the
/// builder.
pub fn into_grant(ident: &Ident, generics: &Generics) -> TokenStream {
    let mut with_lifetime = generics.clone();
    with_lifetime.params.insert(0, syn::parse_quote!('__grant));
    let (impl_generics, _, _) = with_lifetime.split_for_impl();
    let (_, ty_generics, where_clause) = generics.split_for_impl();
    let predicates = where_clause.map(|clause| &clause.predicates);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::twilio_token::IntoGrant<'__grant> for #ident #ty_generics
        where
            Self: ::twilio_token::Grant + '__grant,
            #predicates
        {
            fn into_slot(self) -> ::twilio_token::GrantSlot<'__grant> {
                ::twilio_token::GrantSlot::boxed(self)
            }
        }
    }
}

fn grant_impl(grant: &Grant) -> TokenStream {
    let ident = grant.ident;
    let key = &grant.key;
    let (impl_generics, ty_generics, where_clause) = grant.generics.split_for_impl();
    let mut predicates: Vec<TokenStream> = where_clause
        .map(|clause| clause.predicates.iter().map(|p| quote!(#p)).collect())
        .unwrap_or_default();
    // Grants are minted on any thread.
    predicates.push(quote!(Self: ::core::marker::Send + ::core::marker::Sync));
    for field in &grant.fields {
        let ty = field.ty;
        let text = matches!(field.kind, Kind::Text(_) | Kind::Option(Some(_)));
        if !field.skip && !text {
            predicates.push(quote_spanned!(ty.span()=> #ty: ::twilio_token::serde::Serialize));
        }
    }
    let write = write_nodes(grant, &grant.layout);
    // In field order: `validate` and signing report the same first error.
    let checks = grant
        .fields
        .iter()
        .filter(|field| !field.skip)
        .map(|field| {
            let member = field.ident;
            let name = member.to_string();
            let sid = field.sid.as_ref().map(|prefix| {
            quote!(::twilio_token::__private::check_sid(#key, #name, #prefix, &self.#member)?;)
        });
            let non_empty = field.non_empty.then(
                || quote!(::twilio_token::__private::check_non_empty(#key, #name, &self.#member)?;),
            );
            quote!(#sid #non_empty)
        });
    let validate = grant
        .validate
        .as_ref()
        .map(|path| quote!(::twilio_token::__private::check_grant(#key, #path(self))?;));
    quote! {
        #[automatically_derived]
        impl #impl_generics ::twilio_token::Grant for #ident #ty_generics
        where #(#predicates,)*
        {
            fn key(&self) -> &str {
                #key
            }

            fn write_payload(
                &self,
                __w: &mut ::twilio_token::PayloadWriter<'_>,
            ) -> ::core::result::Result<(), ::twilio_token::Error> {
                #write
                ::core::result::Result::Ok(())
            }

            fn validate(&self) -> ::core::result::Result<(), ::twilio_token::Error> {
                #(#checks)*
                #validate
                ::core::result::Result::Ok(())
            }
        }
    }
}

/// The writes of one object's entries.
fn write_nodes(grant: &Grant, nodes: &[Node]) -> TokenStream {
    nodes
        .iter()
        .map(|node| match node {
            Node::Value { key, field } => write_field(&grant.fields[*field], key),
            Node::Object { key, children } => {
                let inner = write_nodes(grant, children);
                quote! {
                    __w.object(#key, |__w| {
                        #inner
                        ::core::result::Result::Ok(())
                    })?;
                }
            }
            Node::Flatten { field } => {
                let member = grant.fields[*field].ident;
                let name = member.to_string();
                quote!(::twilio_token::__private::in_field(#name, __w.flatten(&self.#member))?;)
            }
        })
        .collect()
}

fn write_field(field: &Field, key: &str) -> TokenStream {
    let member = field.ident;
    let as_str = quote!(::core::convert::AsRef::<str>::as_ref);
    let write = match field.kind {
        Kind::Text(_) => quote!(__w.text(#key, #as_str(&self.#member))?;),
        Kind::Option(Some(_)) => quote! {
            if let ::core::option::Option::Some(__v) = &self.#member {
                __w.text(#key, #as_str(__v))?;
            }
        },
        // The whole `Option` is written (as its content): its bound is the
        // one in the `where` clause.
        Kind::Option(None) => quote! {
            if ::core::option::Option::is_some(&self.#member) {
                __w.value(#key, &self.#member)?;
            }
        },
        Kind::Scalar | Kind::Other => quote!(__w.value(#key, &self.#member)?;),
    };
    match &field.skip_if {
        Some(skip_if) => quote!(if !#skip_if(&self.#member) { #write }),
        None => write,
    }
}

fn slot(index: usize) -> Ident {
    format_ident!("__f{}", index)
}

/// `DecodeGrant`: one decoder, the inverse of the writer, reading each
/// field from where it is written.
fn decode_impl(grant: &Grant) -> TokenStream {
    let ident = grant.ident;
    let key = &grant.key;
    let mut generics = grant.generics.clone();
    let de: syn::Lifetime = syn::parse_quote!('__de);
    let mut de_param = syn::LifetimeParam::new(de.clone());
    de_param
        .bounds
        .extend(grant.generics.lifetimes().map(|def| def.lifetime.clone()));
    generics
        .params
        .insert(0, syn::GenericParam::Lifetime(de_param));
    let (impl_generics, _, _) = generics.split_for_impl();
    let (_, ty_generics, where_clause) = grant.generics.split_for_impl();
    let mut predicates: Vec<TokenStream> = where_clause
        .map(|clause| clause.predicates.iter().map(|p| quote!(#p)).collect())
        .unwrap_or_default();
    predicates.push(quote!(Self: ::twilio_token::Grant));
    // Each field bound is written `for<'__bound> Type: Trait` so that a
    // grant whose fields cannot be deserialized (a concrete type without
    // `Deserialize`) still compiles: the bound is then unsatisfiable rather
    // than a "trivially false" error, and only `claims.grant::<ThatGrant>()`
    // is refused.
    // Each field is read into a slot; `String` fields as text borrowed
    // from the token, made `String`s only when the grant is built. The
    // checks (required fields, the flattened entries) run either way.
    let mut slots = Vec::new();
    let mut checks = Vec::new();
    let mut flatten = None;
    let inits: Vec<TokenStream> = grant
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let member = field.ident;
            let ty = field.ty;
            let name = member.to_string();
            let default = quote_spanned!(ty.span()=> for<'__bound> #ty: ::core::default::Default);
            let deserialize = quote_spanned!(ty.span()=> for<'__bound> #ty: ::twilio_token::serde::Deserialize<#de>);
            if field.skip {
                predicates.push(default);
                return quote!(#member: ::core::default::Default::default());
            }
            predicates.push(deserialize);
            let slot = slot(index);
            if is_flattened(&grant.layout, index) {
                flatten = Some(());
                checks.push(quote!(let #slot: #ty = __rest.decode(#name)?;));
                return quote!(#member: #slot);
            }
            let from = quote!(::core::convert::From::from);
            let slot_ty = match field.kind {
                Kind::Text(Text::Owned) => quote!(::twilio_token::__private::Cow<#de, str>),
                Kind::Option(Some(Text::Owned)) => {
                    quote!(::core::option::Option<::twilio_token::__private::Cow<#de, str>>)
                }
                _ => quote!(#ty),
            };
            slots.push(quote!(let mut #slot: ::core::option::Option<#slot_ty> = ::core::option::Option::None;));
            let value = match field.kind {
                Kind::Text(Text::Owned) => quote!(#from(#slot)),
                Kind::Option(Some(Text::Owned)) => quote!(#slot.map(#from)),
                _ => quote!(#slot),
            };
            if matches!(field.kind, Kind::Option(_)) {
                quote!(#member: #slot.and_then(|#slot| #value))
            } else if field.skip_if.is_some() {
                predicates.push(default);
                quote!(#member: #slot.map(|#slot| #value).unwrap_or_default())
            } else {
                let path = path_of(&grant.layout, index).unwrap_or_default();
                checks.push(quote!(let #slot = ::twilio_token::__private::required(#slot, #path, #name)?;));
                quote!(#member: #value)
            }
        })
        .collect();
    let rest =
        flatten.map(|()| quote!(let mut __rest = ::twilio_token::__private::Rest::default();));
    let read = read_nodes(grant, &grant.layout, "", rest.is_some());
    quote! {
        #[automatically_derived]
        impl #impl_generics ::twilio_token::DecodeGrant<#de> for #ident #ty_generics
        where #(#predicates,)*
        {
            const KEY: &'static str = #key;

            fn decode(
                __r: &mut ::twilio_token::__private::Reader<#de>,
                __build: bool,
            ) -> ::core::result::Result<
                ::core::option::Option<Self>,
                ::twilio_token::__private::ReadError,
            > {
                #(#slots)*
                #rest
                #read
                #(#checks)*
                if !__build {
                    return ::core::result::Result::Ok(::core::option::Option::None);
                }
                ::core::result::Result::Ok(::core::option::Option::Some(Self {
                    #(#inits,)*
                }))
            }
        }
    }
}

/// Reads the object of `nodes` at `path`, each entry into its field's slot.
fn read_nodes(grant: &Grant, nodes: &[Node], path: &str, rest: bool) -> TokenStream {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    let arms = nodes.iter().filter_map(|node| match node {
        Node::Value { key, field } => {
            let slot = slot(*field);
            let name = grant.fields[*field].ident.to_string();
            let path = join(key);
            let read = match grant.fields[*field].kind {
                Kind::Text(Text::Owned) => quote!(read_text),
                Kind::Option(Some(Text::Owned)) => quote!(read_optional_text),
                _ => quote!(read_value),
            };
            Some(quote! {
                #key => ::twilio_token::__private::#read(__r, &mut #slot, #path, #name),
            })
        }
        Node::Object { key, children } => {
            let inner = read_nodes(grant, children, &join(key), false);
            Some(quote! {
                #key => {
                    #inner
                    ::core::result::Result::Ok(true)
                }
            })
        }
        Node::Flatten { .. } => None,
    });
    // The keys in the order the writer writes them, for the reader's fast
    // path; a key JSON would escape is left to the general path.
    let expected = nodes.iter().filter_map(|node| match node {
        Node::Value { key, .. } | Node::Object { key, .. }
            if !key
                .bytes()
                .any(|b| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b)) =>
        {
            Some(key)
        }
        _ => None,
    });
    let other = if rest {
        quote!(__rest.keep(__key, __r))
    } else {
        quote!(::core::result::Result::Ok(false))
    };
    quote! {
        ::twilio_token::__private::read_object(__r, #path, &[#(#expected),*], |__key, __r| {
            match &**__key {
                #(#arms)*
                _ => #other,
            }
        })?;
    }
}

fn is_flattened(nodes: &[Node], index: usize) -> bool {
    nodes
        .iter()
        .any(|node| matches!(node, Node::Flatten { field } if *field == index))
}

/// The dotted JSON path of the field at `index`.
fn path_of(nodes: &[Node], index: usize) -> Option<String> {
    nodes.iter().find_map(|node| match node {
        Node::Value { key, field } if *field == index => Some(key.clone()),
        Node::Object { key, children } => {
            path_of(children, index).map(|rest| format!("{key}.{rest}"))
        }
        _ => None,
    })
}
