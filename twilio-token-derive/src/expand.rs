//! Code generation from the checked view only.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::valid::{Field, Grant, Node};

pub fn expand(grant: &Grant) -> TokenStream {
    let ident = grant.ident;
    let key = &grant.key;
    let (impl_generics, ty_generics, where_clause) = grant.generics.split_for_impl();
    let mut predicates: Vec<TokenStream> = where_clause
        .map(|clause| clause.predicates.iter().map(|p| quote!(#p)).collect())
        .unwrap_or_default();
    // Grants are minted on any thread.
    predicates.push(quote!(Self: ::core::marker::Send + ::core::marker::Sync));
    for field in grant.fields.iter().filter(|field| !field.skip) {
        let ty = field.ty;
        predicates.push(quote_spanned!(ty.span()=> #ty: ::twilio_token::__private::Serialize));
    }

    let presence = grant
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.skip)
        .map(|(index, field)| {
            let var = present(index);
            let member = field.ident;
            let mut condition = if field.option {
                quote!(::core::option::Option::is_some(&self.#member))
            } else {
                quote!(true)
            };
            if let Some(skip_if) = &field.skip_if {
                condition = quote!(#condition && !#skip_if(&self.#member));
            }
            quote!(let #var: bool = #condition;)
        })
        .collect::<Vec<_>>();
    let body = write_nodes(grant, &grant.layout, false);
    let checked_body = write_nodes(grant, &grant.layout, true);
    // Fields checked before anything is written, then those checked as they
    // are written, in written order: `validate` checks in the same order, so
    // both report the same first error.
    let upfront: Vec<TokenStream> = grant
        .fields
        .iter()
        .enumerate()
        .filter(|(index, field)| !field.skip && !checked_in_place(grant, *index))
        .map(|(_, field)| validate_field(key, field))
        .collect();
    let mut in_place = Vec::new();
    leaves(&grant.layout, &mut in_place);
    in_place.retain(|&index| checked_in_place(grant, index));
    let checks = upfront.iter().cloned().chain(
        in_place
            .iter()
            .map(|&index| validate_field(key, &grant.fields[index])),
    );
    let validate = grant
        .validate
        .as_ref()
        .map(|path| quote!(::twilio_token::__private::check_grant(#key, #path(self))?;));

    let decode = decode(grant);
    let write_key = write_key(key);

    quote! {
        #[allow(deprecated)]
        const _: () = {
            #decode

            #[automatically_derived]
            impl #impl_generics ::twilio_token::Grant for #ident #ty_generics
            where #(#predicates,)*
            {
                fn key(&self) -> &str {
                    #key
                }

                fn to_payload(&self) -> ::core::result::Result<
                    ::twilio_token::__private::Value,
                    ::twilio_token::Error,
                > {
                    ::twilio_token::__private::to_payload(self)
                }

                fn write_payload(
                    &self,
                    __writer: &mut ::twilio_token::PayloadWriter<'_>,
                ) -> ::core::result::Result<(), ::twilio_token::Error> {
                    #(#presence)*
                    __writer.begin_object();
                    #body
                    __writer.end_object();
                    ::core::result::Result::Ok(())
                }

                fn validate(&self) -> ::core::result::Result<(), ::twilio_token::Error> {
                    #(#checks)*
                    #validate
                    ::core::result::Result::Ok(())
                }

                fn write_entry(
                    &self,
                    __writer: &mut ::twilio_token::PayloadWriter<'_>,
                ) -> ::core::result::Result<(), ::twilio_token::Error> {
                    #(#upfront)*
                    #(#presence)*
                    #write_key
                    __writer.begin_object();
                    #checked_body
                    __writer.end_object();
                    #validate
                    ::core::result::Result::Ok(())
                }
            }
        };
    }
}

fn present(index: usize) -> syn::Ident {
    format_ident!("__present_{}", index)
}

/// The writes of `nodes`; `checked`: with the `sid` and `non_empty` checks
/// of the fields [`checked_in_place`] made as each is written.
fn write_nodes(grant: &Grant, nodes: &[Node], checked: bool) -> TokenStream {
    let key = &grant.key;
    nodes
        .iter()
        .map(|node| match node {
            Node::Value { key: name, field } => {
                let var = present(*field);
                let ty = grant.fields[*field].ty;
                let member = grant.fields[*field].ident;
                let field_name = member.to_string();
                let value = quote! {
                    __writer
                        .value(&self.#member)
                        .map_err(|error| ::twilio_token::__private::payload_error(#key, #field_name, error))?;
                };
                // Text goes straight to the string writer, not through serde.
                let is_text = is_text(ty);
                let field = &grant.fields[*field];
                let text = match (checked, &field.sid, field.non_empty) {
                    // A SID is written as it is once checked: no escape scan.
                    (true, Some(prefix), _) => {
                        quote!(__writer.sid(#key, #field_name, #prefix, __text)?)
                    }
                    (true, None, true) => quote! {{
                        ::twilio_token::__private::check_non_empty(#key, #field_name, __text)?;
                        __writer.text(__text)
                    }},
                    _ => quote!(__writer.text(__text)),
                };
                // A JSON map goes to the writer's own JSON writer, not serde.
                let write = if is_text {
                    quote! {
                        match ::twilio_token::__private::TextField::text(&self.#member) {
                            ::core::option::Option::Some(__text) => #text,
                            ::core::option::Option::None => { #value }
                        }
                    }
                } else if is_json_map(ty) {
                    quote!(__writer.json_map(&self.#member);)
                } else if option_inner(ty).is_some_and(is_json_map) {
                    quote! {
                        match &self.#member {
                            ::core::option::Option::Some(__map) => __writer.json_map(__map),
                            ::core::option::Option::None => { #value }
                        }
                    }
                } else {
                    value
                };
                let key = write_key(name);
                quote! {
                    if #var {
                        #key
                        #write
                    }
                }
            }
            Node::Flatten { field } if is_json_map(grant.fields[*field].ty) => {
                let var = present(*field);
                let member = grant.fields[*field].ident;
                quote! {
                    if #var {
                        __writer.flatten_map(&self.#member);
                    }
                }
            }
            Node::Flatten { field } => {
                let var = present(*field);
                let member = grant.fields[*field].ident;
                let field_name = member.to_string();
                quote! {
                    if #var {
                        __writer
                            .flatten(&self.#member)
                            .map_err(|error| ::twilio_token::__private::payload_error(#key, #field_name, error))?;
                    }
                }
            }
            Node::Object { key: name, children } => {
                let mut vars = Vec::new();
                leaves(children, &mut vars);
                let vars = vars.into_iter().map(present);
                let inner = write_nodes(grant, children, checked);
                let key = write_key(name);
                quote! {
                    if false #(|| #vars)* {
                        #key
                        __writer.begin_object();
                        #inner
                        __writer.end_object();
                    }
                }
            }
        })
        .collect()
}

/// Writes the key `name`: pre-quoted when it needs no escape (printable
/// ASCII but `"` and `\\`), which is every key Twilio uses.
fn write_key(name: &str) -> TokenStream {
    if plain(name) {
        let quoted = format!("\"{name}\":");
        quote!(__writer.quoted_key(#quoted);)
    } else {
        quote!(__writer.key(#name);)
    }
}

/// `name` needs no escape in JSON: printable ASCII but `"` and `\\`.
fn plain(name: &str) -> bool {
    name.bytes()
        .all(|b| (b' '..0x7f).contains(&b) && b != b'"' && b != b'\\')
}

/// Field `index` is checked as it is written in `write_entry`: a text
/// field written whenever it has text (no `skip_if`, which would skip the
/// check with the write).
fn checked_in_place(grant: &Grant, index: usize) -> bool {
    fn written(nodes: &[Node], index: usize) -> bool {
        nodes.iter().any(|node| match node {
            Node::Value { field, .. } => *field == index,
            Node::Flatten { .. } => false,
            Node::Object { children, .. } => written(children, index),
        })
    }
    let field = &grant.fields[index];
    is_text(field.ty) && field.skip_if.is_none() && written(&grant.layout, index)
}

/// The fields written somewhere below `nodes`.
fn leaves(nodes: &[Node], out: &mut Vec<usize>) {
    for node in nodes {
        match node {
            Node::Value { field, .. } | Node::Flatten { field } => out.push(*field),
            Node::Object { children, .. } => leaves(children, out),
        }
    }
}

fn validate_field(key: &str, field: &Field) -> TokenStream {
    let member = field.ident;
    let name = member.to_string();
    let mut checks = TokenStream::new();
    if let Some(prefix) = &field.sid {
        checks.extend(quote_spanned! {field.ty.span()=>
            ::twilio_token::__private::check_sid(#key, #name, #prefix, &self.#member)?;
        });
    }
    if field.non_empty {
        checks.extend(quote_spanned! {field.ty.span()=>
            ::twilio_token::__private::check_non_empty(#key, #name, &self.#member)?;
        });
    }
    checks
}

/// `DecodeGrant`: the inverse of the payload writer, reading each field from
/// where it is written.
fn decode(grant: &Grant) -> TokenStream {
    let ident = grant.ident;
    let key = &grant.key;
    let mut generics = grant.generics.clone();
    let de: syn::Lifetime = syn::parse_quote!('__de);
    let lifetimes: Vec<syn::Lifetime> = generics
        .lifetimes()
        .map(|def| def.lifetime.clone())
        .collect();
    let mut de_param = syn::LifetimeParam::new(de.clone());
    de_param.bounds.extend(lifetimes);
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

    let mut paths: Vec<Option<Vec<String>>> = vec![None; grant.fields.len()];
    let mut flattened = Vec::new();
    field_paths(&grant.layout, &mut Vec::new(), &mut paths, &mut flattened);
    let top_level_keys: Vec<&String> = grant
        .layout
        .iter()
        .filter_map(|node| match node {
            Node::Value { key, .. } | Node::Object { key, .. } => Some(key),
            Node::Flatten { .. } => None,
        })
        .collect();

    let inits = grant.fields.iter().enumerate().map(|(index, field)| {
        let member = field.ident;
        let ty = field.ty;
        let name = member.to_string();
        if field.skip {
            predicates.push(quote_spanned!(ty.span()=> for<'__bound> #ty: ::core::default::Default));
            return quote!(#member: ::core::default::Default::default());
        }
        if flattened.contains(&index) {
            predicates.push(quote_spanned!(ty.span()=> for<'__bound> #ty: ::twilio_token::__private::DeserializeOwned));
            return quote! {
                #member: ::twilio_token::__private::decode_flatten(__payload, &[#(#top_level_keys),*], #key, #name)?
            };
        }
        let path = paths[index].clone().unwrap_or_default();
        predicates.push(quote_spanned!(ty.span()=> for<'__bound> #ty: ::twilio_token::__private::Deserialize<#de>));
        if field.skip_if.is_some() && !field.option {
            predicates.push(quote_spanned!(ty.span()=> for<'__bound> #ty: ::core::default::Default));
            return quote! {
                #member: ::twilio_token::__private::decode_field_or_default(__payload, &[#(#path),*], #key, #name)?
            };
        }
        let optional = field.option;
        quote! {
            #member: ::twilio_token::__private::decode_field(__payload, &[#(#path),*], #optional, #key, #name)?
        }
    });
    let inits: Vec<TokenStream> = inits.collect();

    let check = check_raw(grant, &de);

    quote! {
        #[automatically_derived]
        impl #impl_generics ::twilio_token::DecodeGrant<#de> for #ident #ty_generics
        where #(#predicates,)*
        {
            const KEY: &'static str = #key;

            #check

            fn from_source<__S: ::twilio_token::__private::Source<#de>>(
                __payload: __S,
            ) -> ::core::result::Result<Self, ::twilio_token::VerifyError> {
                ::core::result::Result::Ok(Self {
                    #(#inits,)*
                })
            }
        }
    }
}

/// `check_raw`: the verifier's type check of a grant's JSON in one serde
/// pass, through structs that mirror the layout. The structs are generic
/// over their field types and instantiated inside the `DecodeGrant` impl,
/// whose bounds make every field type deserializable, so they compile
/// whatever the grant's own generics and bounds. Text fields are checked as
/// borrowed text, so a check allocates nothing for them.
fn check_raw(grant: &Grant, de: &syn::Lifetime) -> TokenStream {
    let mut structs = Vec::new();
    let (root, _) = shadow(grant, &grant.layout, de, &mut structs);
    let fast = check_fast(grant, de);
    quote! {
        fn check_raw(
            __payload: &#de str,
        ) -> ::core::result::Result<(), ::twilio_token::VerifyError> {
            ::twilio_token::__private::check_shape::<Self>(__payload)
        }

        fn check_in<__D: ::twilio_token::__private::serde::Deserializer<#de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<(), __D::Error> {
            #(#structs)*
            <::twilio_token::__private::Object<#root> as ::twilio_token::__private::Deserialize<#de>>::deserialize(
                __deserializer,
            )
                .map(::core::mem::drop)
        }

        #fast
    }
}

/// `check_fast`: the same check as `check_in` on the verifier's fast
/// reader, matching keys directly: each level's keys are first compared
/// whole in field order (as minted), then any others read one by one.
/// A key given twice, a missing required field or anything the reader
/// gives up on gives up. Values are read as `check_in` reads them. Not
/// generated for a grant that flattens anything but a JSON map (`check_in`
/// serves it).
fn check_fast(grant: &Grant, de: &syn::Lifetime) -> TokenStream {
    fn flattens_a_struct(grant: &Grant, nodes: &[Node]) -> bool {
        nodes.iter().any(|node| match node {
            Node::Flatten { field } => !is_json_map(grant.fields[*field].ty),
            Node::Object { children, .. } => flattens_a_struct(grant, children),
            Node::Value { .. } => false,
        })
    }
    if flattens_a_struct(grant, &grant.layout) {
        return TokenStream::new();
    }
    let (body, _) = fast_object(grant, &grant.layout, de);
    quote! {
        fn check_fast(
            __r: &mut ::twilio_token::__private::Reader<#de>,
        ) -> ::core::result::Result<(), ::twilio_token::__private::GiveUp> {
            #body
            ::core::result::Result::Ok(())
        }
    }
}

/// The direct check of one object (its `{` not yet read) and whether every
/// key in it may be absent.
fn fast_object(grant: &Grant, nodes: &[Node], de: &syn::Lifetime) -> (TokenStream, bool) {
    let give_up = quote!(return ::core::result::Result::Err(::twilio_token::__private::GiveUp));
    // (key, value check, optional), flattened maps left out: they only
    // allow keys, which are skipped anyway.
    let mut entries = Vec::new();
    for node in nodes {
        match node {
            Node::Value { key, field } => {
                let field = &grant.fields[*field];
                let checked = check_type(field, de);
                let read = quote! {
                    <#checked as ::twilio_token::__private::Deserialize<#de>>::deserialize(&mut *__r)
                        .map(::core::mem::drop)?;
                };
                entries.push((key, read, field.option || field.skip_if.is_some()));
            }
            Node::Object { key, children } => {
                let (inner, optional) = fast_object(grant, children, de);
                entries.push((key, quote!({ #inner }), optional));
            }
            Node::Flatten { .. } => {}
        }
    }
    // Keys no field takes are skipped, unless a flattened map takes them:
    // then they are read as decoding reads them (a number serde_json cannot
    // hold gives up).
    let other = if nodes
        .iter()
        .any(|node| matches!(node, Node::Flatten { .. }))
    {
        quote! {
            <::twilio_token::__private::AnyValue as ::twilio_token::__private::Deserialize<#de>>::deserialize(&mut *__r)
                .map(::core::mem::drop)?;
        }
    } else {
        quote!(__r.skip()?;)
    };
    let count = entries.len();
    let in_order = entries
        .iter()
        .enumerate()
        .filter(|(_, (key, _, _))| plain(key))
        .map(|(index, (key, read, _))| {
            let quoted = syn::LitByteStr::new(
                format!("\"{key}\":").as_bytes(),
                proc_macro2::Span::call_site(),
            );
            quote! {
                if __r.next_key_is(&mut __first, #quoted) {
                    __seen[#index] = true;
                    #read
                }
            }
        });
    let arms = entries.iter().enumerate().map(|(index, (key, read, _))| {
        quote! {
            #key => {
                if ::core::mem::replace(&mut __seen[#index], true) {
                    #give_up;
                }
                #read
            }
        }
    });
    let required = entries
        .iter()
        .enumerate()
        .filter(|(_, (_, _, optional))| !optional)
        .map(|(index, _)| {
            quote! {
                if !__seen[#index] {
                    #give_up;
                }
            }
        });
    let all_optional = entries.iter().all(|(_, _, optional)| *optional);
    let body = quote! {
        __r.begin_object()?;
        let mut __first = true;
        #[allow(unused_mut)]
        let mut __seen = [false; #count];
        #(#in_order)*
        while let ::core::option::Option::Some(__key) = __r.next_key(&mut __first)? {
            match __key {
                #(#arms)*
                _ => {
                    #other
                }
            }
        }
        #(#required)*
    };
    (body, all_optional)
}

/// One mirror struct for `nodes` (pushed to `structs`, nested objects
/// first): its instantiated type, and whether every field in it may be
/// absent.
fn shadow(
    grant: &Grant,
    nodes: &[Node],
    de: &syn::Lifetime,
    structs: &mut Vec<TokenStream>,
) -> (TokenStream, bool) {
    let name = format_ident!("__TwilioTokenCheck{}", structs.len());
    let slot = structs.len();
    structs.push(TokenStream::new());
    let mut fields = Vec::new();
    let mut params = Vec::new();
    let mut args = Vec::new();
    let mut all_optional = true;
    for (index, node) in nodes.iter().enumerate() {
        let param = format_ident!("__T{}", index);
        let member = format_ident!("__f{}", index);
        match node {
            Node::Value { key, field } => {
                let field = &grant.fields[*field];
                let optional = field.option || field.skip_if.is_some();
                all_optional &= optional;
                fields.push(if optional {
                    quote!(#[serde(rename = #key, default)] #member: #param)
                } else {
                    quote!(#[serde(rename = #key)] #member: #param)
                });
                args.push(check_type(field, de));
            }
            Node::Flatten { field } => {
                let ty = grant.fields[*field].ty;
                fields.push(quote!(#[serde(flatten)] #member: #param));
                // Whatever is left is a JSON object, read as decoding reads
                // it (its strings unescaped).
                if is_json_map(ty) {
                    args.push(quote!(::twilio_token::__private::AnyObject));
                } else {
                    args.push(quote!(#ty));
                }
            }
            Node::Object { key, children } => {
                let (inner, optional) = shadow(grant, children, de, structs);
                all_optional &= optional;
                // An absent object reads as its fields' defaults; a present
                // one must be an object (not even `null`), as decoding says.
                if optional {
                    fields.push(quote!(#[serde(rename = #key, default)] #member: #param));
                } else {
                    fields.push(quote!(#[serde(rename = #key)] #member: #param));
                }
                args.push(quote!(::twilio_token::__private::Object<#inner>));
            }
        }
        params.push(param);
    }
    structs[slot] = quote! {
        #[derive(::core::default::Default, ::twilio_token::__private::Deserialize)]
        #[serde(crate = "::twilio_token::__private::serde", expecting = "a JSON object")]
        #[allow(dead_code, non_camel_case_types)]
        struct #name<'__de, #(#params),*> {
            #(#fields,)*
            #[serde(skip)]
            __marker: ::core::marker::PhantomData<&'__de ()>,
        }
    };
    (quote!(#name<#de, #(#args),*>), all_optional)
}

/// The type a field is checked as: its own, except that text is checked
/// as borrowed text and serde_json's `Value` and `Map<String, Value>` as
/// any JSON value or object, none of which allocates.
fn check_type(field: &Field, de: &syn::Lifetime) -> TokenStream {
    let ty = field.ty;
    let inner = option_inner(ty);
    let checked = light_type(inner.unwrap_or(ty), de);
    match (inner, checked) {
        (Some(_), Some(checked)) => quote!(::core::option::Option<#checked>),
        (None, Some(checked)) => checked,
        (_, None) => quote!(#ty),
    }
}

/// The allocation-free stand-in for `ty`, if it has one.
fn light_type(ty: &syn::Type, de: &syn::Lifetime) -> Option<TokenStream> {
    if is_string(ty) {
        Some(quote!(::twilio_token::__private::Key<#de>))
    } else if is_json_map(ty) {
        Some(quote!(::twilio_token::__private::AnyObject))
    } else if last_segment(ty).is_some_and(|last| last.ident == "Value" && last.arguments.is_none())
    {
        Some(quote!(::twilio_token::__private::AnyValue))
    } else {
        None
    }
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

/// `Map<String, Value>`, serde_json's object type.
fn is_json_map(ty: &syn::Type) -> bool {
    let Some(last) = last_segment(ty) else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    let names: Vec<String> = args
        .args
        .iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => last_segment(ty).map(|seg| seg.ident.to_string()),
            _ => None,
        })
        .collect();
    last.ident == "Map" && names == ["String", "Value"]
}

/// A `String` or `Option<String>`: written by the string writer.
fn is_text(ty: &syn::Type) -> bool {
    is_string(ty) || option_inner(ty).is_some_and(is_string)
}

fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
    if path.qself.is_none()
        && path.path.segments.last().is_some_and(|last| {
            last.ident == "String" && last.arguments.is_none()
        }))
}

/// `T` of a type written `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" || path.qself.is_some() {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// The JSON path of every written field, and the flattened fields.
fn field_paths(
    nodes: &[Node],
    prefix: &mut Vec<String>,
    paths: &mut [Option<Vec<String>>],
    flattened: &mut Vec<usize>,
) {
    for node in nodes {
        match node {
            Node::Value { key, field } => {
                let mut path = prefix.clone();
                path.push(key.clone());
                paths[*field] = Some(path);
            }
            Node::Flatten { field } => flattened.push(*field),
            Node::Object { key, children } => {
                prefix.push(key.clone());
                field_paths(children, prefix, paths, flattened);
                prefix.pop();
            }
        }
    }
}
