package io.greenbridge.inbox;

import org.springframework.stereotype.Component;

import io.greenbridge.store.DeadLetter;
import io.greenbridge.store.DeadLetterReplayer;

/** Replays a dead inbox event: it goes back in line with a fresh attempt budget. */
@Component
public class InboxReplayer implements DeadLetterReplayer {
    private final InboxStore inbox;

    public InboxReplayer(InboxStore inbox) {
        this.inbox = inbox;
    }

    @Override
    public String source() {
        return "inbox";
    }

    @Override
    public boolean replay(DeadLetter letter) {
        return inbox.requeue(Long.parseLong(letter.ref()));
    }
}
