fn main() {
    // Only a worker has activities: a task queue's builder has no such method.
    let _ = twilio_token::capability::TaskRouterCapability::task_queue(
        "WS55555555555555555555555555555555",
        "WQ77777777777777777777777777777777",
    )
    .allow_update_activities(true);
}
