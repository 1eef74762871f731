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
        });
    let body = write_nodes(grant, &grant.layout);
    let checks = grant
        .fields
        .iter()
        .filter(|f| !f.skip)
        .map(|field| validate_field(key, field));
    let validate = grant
        .validate
        .as_ref()
        .map(|path| quote!(::twilio_token::__private::check_grant(#key, #path(self))?;));

    quote! {
        const _: () = {
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
            }
        };
    }
}

fn present(index: usize) -> syn::Ident {
    format_ident!("__present_{}", index)
}

fn write_nodes(grant: &Grant, nodes: &[Node]) -> TokenStream {
    let key = &grant.key;
    nodes
        .iter()
        .map(|node| match node {
            Node::Value { key: name, field } => {
                let var = present(*field);
                let member = grant.fields[*field].ident;
                let field_name = member.to_string();
                quote! {
                    if #var {
                        __writer.key(#name);
                        __writer
                            .value(&self.#member)
                            .map_err(|error| ::twilio_token::__private::payload_error(#key, #field_name, error))?;
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
                let inner = write_nodes(grant, children);
                quote! {
                    if false #(|| #vars)* {
                        __writer.key(#name);
                        __writer.begin_object();
                        #inner
                        __writer.end_object();
                    }
                }
            }
        })
        .collect()
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
