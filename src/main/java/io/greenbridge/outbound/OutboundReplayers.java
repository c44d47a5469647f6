package io.greenbridge.outbound;

import java.util.function.Predicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.store.DeadLetter;
import io.greenbridge.store.DeadLetterReplayer;

/**
 * Dead-letter replay of contacts out: a failed push (or merge, or anonymization) runs again for that contact, with
 * the contact as Beamery holds it now; a failed note is sent again. A second failure is a new dead letter.
 */
@Configuration
public class OutboundReplayers {
    @Bean
    DeadLetterReplayer outboundContactReplayer(BeameryClient beamery, GreenhousePush push, BeameryLifecycle lifecycle) {
        return replayer(GreenhousePush.DEAD_LETTER_SOURCE, contactId -> beamery.findContact(contactId).map(contact -> {
            if (lifecycle.isLifecycleChange(contact)) {
                lifecycle.handle(contact);
            } else {
                push.sync(contact, PushKind.AUTO, true);
            }
            return true;
        }).orElse(false));
    }

    @Bean
    DeadLetterReplayer outboundNoteReplayer(NoteForwarder notes) {
        return replayer(NoteForwarder.DEAD_LETTER_SOURCE, notes::replay);
    }

    private static DeadLetterReplayer replayer(String source, Predicate<String> replayRef) {
        return new DeadLetterReplayer() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public boolean replay(DeadLetter letter) {
                return replayRef.test(letter.ref());
            }
        };
    }
}
