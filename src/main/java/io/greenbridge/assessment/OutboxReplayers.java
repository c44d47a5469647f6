package io.greenbridge.assessment;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.greenbridge.store.DeadLetter;
import io.greenbridge.store.DeadLetterReplayer;

/** Dead-letter replay of the assessment outbox: a dead email or callback gets all its attempts again. */
@Configuration
public class OutboxReplayers {
    @Bean
    DeadLetterReplayer assessmentEmailReplayer(AssessmentOutbox outbox) {
        return replayer(AssessmentOutbox.EMAIL_SOURCE, AssessmentOutbox.INVITATION_EMAIL, outbox);
    }

    @Bean
    DeadLetterReplayer assessmentCallbackReplayer(AssessmentOutbox outbox) {
        return replayer(AssessmentOutbox.CALLBACK_SOURCE, AssessmentOutbox.GREENHOUSE_CALLBACK, outbox);
    }

    private static DeadLetterReplayer replayer(String source, String kind, AssessmentOutbox outbox) {
        return new DeadLetterReplayer() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public boolean replay(DeadLetter letter) {
                return outbox.requeue(kind, letter.ref());
            }
        };
    }
}
