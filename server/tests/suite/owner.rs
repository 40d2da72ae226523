//! Reading a context from a task that outlives its page's render: the render's owners may be
//! dropped on another thread meanwhile (a reader who leaves mid-page), and the reading thread may
//! then hold the last reference to one of them. That must not hang the thread.

use leptos::prelude::{Owner, provide_context, use_context};
use std::sync::{Arc, Barrier, mpsc};
use std::time::Duration;

#[derive(Clone)]
struct Site(#[allow(dead_code)] u64);

#[test]
fn a_context_read_while_the_render_is_dropped_does_not_hang() {
    for round in 0..5_000u64 {
        let root = Owner::new();
        root.with(|| provide_context(Site(round)));
        let page = root.with(Owner::new);
        let task = page.with(Owner::new);
        let (done, finished) = mpsc::channel();
        let start = Arc::new(Barrier::new(2));
        let go = start.clone();
        let reader = std::thread::spawn(move || {
            go.wait();
            task.with(|| {
                for _ in 0..64 {
                    let _ = use_context::<Site>();
                }
            });
            drop(task);
            let _ = done.send(());
        });
        start.wait();
        drop(page);
        drop(root);
        if finished.recv_timeout(Duration::from_secs(10)).is_err() {
            panic!("a context read hung in round {round}");
        }
        reader.join().expect("reader thread");
    }
}
