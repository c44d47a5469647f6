package io.greenbridge.candidate;

import org.springframework.stereotype.Component;

import io.greenbridge.store.DeadLetter;
import io.greenbridge.store.DeadLetterReplayer;

/** Replays a Greenhouse merge that was not carried to Beamery while greenbridge.candidates.beamery-merge was off. */
@Component
public class MergeReplayer implements DeadLetterReplayer {
    private final ContactMerge merge;

    public MergeReplayer(ContactMerge merge) {
        this.merge = merge;
    }

    @Override
    public String source() {
        return ContactMerge.MERGE_DEAD_LETTER_SOURCE;
    }

    @Override
    public boolean replay(DeadLetter letter) {
        return merge.replay(letter.ref());
    }
}
