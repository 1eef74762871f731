//! Heap allocations per token, counted by a global allocator: a regression
//! here fails CI, where timings cannot (counts are deterministic).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use twilio_token::grants::{ChatGrant, VideoGrant, VoiceGrant};
use twilio_token::{AccessToken, Credentials, Grant, Verifier};
use twilio_token_tests::support::{ACCOUNT, KEY, NOW, SECRET, at};

struct Counting;

thread_local! {
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNT.try_with(|count| count.set(count.get() + 1));
        // SAFETY: same layout, same contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = COUNT.try_with(|count| count.set(count.get() + 1));
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = COUNT.with(Cell::get);
    let result = f();
    (COUNT.with(Cell::get) - before, result)
}

fn sign(credentials: &Credentials, grants: (VideoGrant, VoiceGrant, ChatGrant)) -> String {
    AccessToken::builder()
        .credentials(credentials)
        .identity("alice")
        .grant(grants.0)
        .grant(grants.1)
        .grant(grants.2)
        .issued_at(at(NOW))
        .sign()
        .unwrap()
}

fn three_grants() -> (VideoGrant, VoiceGrant, ChatGrant) {
    (
        VideoGrant::room("standup"),
        VoiceGrant {
            incoming_allow: true,
            ..VoiceGrant::outgoing("AP11111111111111111111111111111111")
        },
        ChatGrant::service("IS33333333333333333333333333333333"),
    )
}

#[test]
fn signing_allocates_at_most_two_plus_one_per_grant() {
    let credentials = Credentials::new(ACCOUNT, KEY, SECRET).unwrap();
    sign(&credentials, three_grants()); // warms the thread's scratch buffer
    let grants = three_grants();
    let (count, token) = allocations(|| sign(&credentials, grants));
    assert_eq!(token.len(), 640);
    // The grants' vector, one box per grant, the token.
    assert_eq!(count, 2 + 3);

    // Grants built once and lent, as a token server minting the same
    // grants for every identity does: the references are kept as they are.
    let (video, voice, chat) = three_grants();
    let (count, lent) = allocations(|| {
        AccessToken::builder()
            .credentials(&credentials)
            .identity("alice")
            .grant(&video)
            .grant(&voice)
            .grant(&chat)
            .issued_at(at(NOW))
            .sign()
            .unwrap()
    });
    assert_eq!(lent, token);
    // The grants' vector and the token.
    assert_eq!(count, 2);

    // Lent as `&dyn Grant`, with or without `Send + Sync` spelled out.
    let boxed: Vec<Box<dyn Grant>> = vec![
        Box::new(VideoGrant::room("standup")),
        Box::new(VoiceGrant {
            incoming_allow: true,
            ..VoiceGrant::outgoing("AP11111111111111111111111111111111")
        }),
    ];
    let chat: Box<dyn Grant + Send + Sync> =
        Box::new(ChatGrant::service("IS33333333333333333333333333333333"));
    let (count, lent) = allocations(|| {
        AccessToken::builder()
            .credentials(&credentials)
            .identity("alice")
            .grant(&*boxed[0])
            .grant(&*boxed[1])
            .grant(&*chat)
            .issued_at(at(NOW))
            .sign()
            .unwrap()
    });
    assert_eq!(lent, token);
    assert_eq!(count, 2);

    // Boxed grants are moved in as they are: no second box.
    let (count, owned) = allocations(|| {
        let mut builder = AccessToken::builder()
            .credentials(&credentials)
            .identity("alice")
            .issued_at(at(NOW));
        for grant in boxed {
            builder = builder.grant(grant);
        }
        builder.grant(chat).sign().unwrap()
    });
    assert_eq!(owned, token);
    // The grants' vector and the token (the boxes were made before).
    assert_eq!(count, 2);
}

#[test]
fn verifying_allocates_the_payload_text_and_the_known_grants_checks() {
    let credentials = Credentials::new(ACCOUNT, KEY, SECRET).unwrap();
    let verifier = Verifier::new(&credentials);

    let bare = AccessToken::builder()
        .credentials(&credentials)
        .identity("alice")
        .issued_at(at(NOW))
        .sign()
        .unwrap();
    verifier.verify_at(&bare, at(NOW)).unwrap(); // warms the base64 engine
    let (count, claims) = allocations(|| verifier.verify_at(&bare, at(NOW)).unwrap());
    assert_eq!(claims.identity(), "alice");
    // The decoded payload, which the claims keep and point into.
    assert_eq!(count, 1);

    let token = sign(&credentials, three_grants());
    let (count, claims) = allocations(|| verifier.verify_at(&token, at(NOW)).unwrap());
    assert_eq!(claims.grants().map(|grants| grants.len()), Ok(3));
    // Only the payload: the known grants are type-checked as they are
    // parsed, without allocating.
    assert_eq!(count, 1);
}
