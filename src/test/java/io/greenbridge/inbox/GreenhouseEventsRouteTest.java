package io.greenbridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import io.greenbridge.routes.RouteModel;
import io.greenbridge.sandbox.SandboxTest;

/**
 * routes/greenhouse-events.yaml: every inbox event goes to exactly one flow, job events to the vacancy flow and all
 * others to the candidate flow. Advised routes: a context of its own.
 */
@CamelSpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class GreenhouseEventsRouteTest extends SandboxTest {
    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    @Test
    void jobEventsGoToTheVacancyFlowAndTheRestToTheCandidateFlow() throws Exception {
        assertThat(RouteModel.ids(camel, "greenhouse-event-dispatch")).containsSubsequence("dispatch-by-event-kind",
                "to-vacancy-job-event", "to-candidate-event");
        AdviceWith.adviceWith(camel, "greenhouse-event-dispatch", a -> {
            a.weaveById("to-vacancy-job-event").replace().to("mock:job-flow");
            a.weaveById("to-candidate-event").replace().to("mock:candidate-flow");
        });
        MockEndpoint jobs = camel.getEndpoint("mock:job-flow", MockEndpoint.class);
        MockEndpoint candidates = camel.getEndpoint("mock:candidate-flow", MockEndpoint.class);
        jobs.expectedHeaderValuesReceivedInAnyOrder("GreenhouseAction", "job_created", "job_interview_stage_deleted");
        candidates.expectedHeaderValuesReceivedInAnyOrder("GreenhouseAction", "update_candidate", "merge_candidate");

        for (String action : new String[] {"job_created", "update_candidate", "job_interview_stage_deleted", "merge_candidate"}) {
            producer.sendBodyAndHeaders("direct:greenhouse-event", "{}", Map.of("GreenhouseAction", action));
        }

        jobs.assertIsSatisfied();
        candidates.assertIsSatisfied();
    }
}
