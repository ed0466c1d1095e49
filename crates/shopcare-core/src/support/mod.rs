//! The support desk (issue 6, part 2): the response-time engine that measures chats the
//! way the platform does, tickets made from conversations (triage, checklist, priority),
//! saved replies with variables, and the voice-of-customer log.
//!
//! Pure functions over the chat model: the caller passes the conversations, the flags the
//! platform does not give us (holiday mode, blocked buyers, chatbot, broadcast and
//! auto-reply markers) and `now`.

mod response;
mod saved_reply;
mod ticket;
mod voc;

pub use response::*;
pub use saved_reply::*;
pub use ticket::*;
pub use voc::*;
