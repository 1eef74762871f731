//! On error: the errors as `compile_error!` plus a stub of every trait the
//! derive implements, so the user sees the real mistakes and not a cascade
//! of "`Grant` is not implemented".

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::expand::into_grant;

pub fn expand(input: &DeriveInput, errors: syn::Error) -> TokenStream {
    let errors = errors.into_compile_error();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut de_generics = input.generics.clone();
    de_generics.params.insert(0, syn::parse_quote!('__de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();
    let into_grant = into_grant(ident, &input.generics);
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::twilio_token::Grant for #ident #ty_generics #where_clause {
                fn key(&self) -> &str {
                    ::core::unreachable!()
                }
                fn write_payload(
                    &self,
                    _: &mut ::twilio_token::PayloadWriter<'_>,
                ) -> ::core::result::Result<(), ::twilio_token::Error> {
                    ::core::unreachable!()
                }
            }

            #[automatically_derived]
            impl #de_impl_generics ::twilio_token::DecodeGrant<'__de> for #ident #ty_generics #where_clause {
                const KEY: &'static str = "";
                fn decode(
                    _: &mut ::twilio_token::__private::Reader<'__de>,
                    _: bool,
                ) -> ::core::result::Result<
                    ::core::option::Option<Self>,
                    ::twilio_token::__private::ReadError,
                > {
                    ::core::unreachable!()
                }
            }

            #into_grant
        };
    }
}
