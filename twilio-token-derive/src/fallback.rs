//! On error: the errors as `compile_error!` plus a stub impl, so the user sees
//! the real mistakes and not a cascade of "`Grant` is not implemented".

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

pub fn expand(input: &DeriveInput, errors: syn::Error) -> TokenStream {
    let errors = errors.into_compile_error();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::twilio_token::Grant for #ident #ty_generics #where_clause {
                fn key(&self) -> &str {
                    ::core::unreachable!()
                }
                fn to_payload(&self) -> ::core::result::Result<
                    ::twilio_token::__private::Value,
                    ::twilio_token::Error,
                > {
                    ::core::unreachable!()
                }
            }
        };
    }
}
