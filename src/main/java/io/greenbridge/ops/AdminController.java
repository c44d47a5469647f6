package io.greenbridge.ops;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.greenbridge.store.DeadLetter;
import io.greenbridge.store.DeadLetterReplayer;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.sync.SyncRun;
import io.greenbridge.sync.SyncRunner;
import io.greenbridge.web.ApiError;

/** The operators' API: run syncs now, status, dead letters, their replay and dismissal. Guarded by SecurityConfig (admin token); ids checked by PathIds. */
@RestController
public class AdminController {
    private final SyncRunner runner;
    private final StatusService status;
    private final DeadLetterStore deadLetters;
    private final Map<String, DeadLetterReplayer> replayers;

    public AdminController(SyncRunner runner, StatusService status, DeadLetterStore deadLetters,
                           ObjectProvider<DeadLetterReplayer> replayers) {
        this.runner = runner;
        this.status = status;
        this.deadLetters = deadLetters;
        this.replayers = replayers.orderedStream().collect(Collectors.toMap(DeadLetterReplayer::source, r -> r));
    }

    @PostMapping("/api/sync/{flow}")
    public ResponseEntity<Object> sync(@PathVariable String flow, @RequestParam(defaultValue = "false") boolean wait) {
        if (!runner.exists(flow)) {
            return ResponseEntity.status(404).body(ApiError.body("unknown_flow",
                    "Use one of " + runner.flowNames().stream().sorted().toList() + "."));
        }
        SyncRunner.Running run = runner.start(flow);
        if (!wait) {
            return ResponseEntity.accepted().body(Map.of("runId", run.runId()));
        }
        SyncRun done = run.result().join();
        return ResponseEntity.ok(StatusService.describe(done));
    }

    @GetMapping("/api/status")
    public Map<String, Object> status() {
        return status.status();
    }

    @GetMapping("/api/dead-letters")
    public Map<String, Object> deadLetters(@RequestParam(required = false) String status,
                                           @RequestParam(defaultValue = "100") int limit) {
        List<DeadLetter> list = deadLetters.list(status == null ? "open" : "all".equals(status) ? null : status,
                Math.max(1, Math.min(limit, 1000)));
        return Map.of("deadLetters", list, "open", deadLetters.countOpen());
    }

    @PostMapping("/api/dead-letters/{id}/replay")
    public ResponseEntity<Object> replay(@PathVariable long id) {
        DeadLetter letter = deadLetters.find(id).orElse(null);
        if (letter == null) {
            return ResponseEntity.status(404).body(ApiError.body("not_found", "No dead letter " + id + "."));
        }
        if (!"open".equals(letter.status())) {
            return ResponseEntity.status(409).body(ApiError.body("already_replayed",
                    "Dead letter " + id + " was replayed at " + letter.replayedAt() + "."));
        }
        DeadLetterReplayer replayer = replayers.get(letter.source());
        if (replayer == null) {
            return ResponseEntity.status(409).body(ApiError.body("not_replayable",
                    "Dead letters from '" + letter.source() + "' cannot be replayed; fix the cause and re-run the flow."));
        }
        if (!replayer.replay(letter)) {
            return ResponseEntity.status(409).body(ApiError.body("nothing_to_replay",
                    "The work behind dead letter " + id + " is no longer there to replay."));
        }
        deadLetters.markReplayed(id);
        return ResponseEntity.ok(Map.of("id", id, "status", "replayed"));
    }

    @PostMapping("/api/dead-letters/{id}/dismiss")
    public ResponseEntity<Object> dismiss(@PathVariable long id) {
        if (deadLetters.markDismissed(id)) {
            return ResponseEntity.ok(Map.of("id", id, "status", "dismissed"));
        }
        return deadLetters.find(id).isPresent()
                ? ResponseEntity.status(409).body(ApiError.body("not_open", "Dead letter " + id + " is not open."))
                : ResponseEntity.status(404).body(ApiError.body("not_found", "No dead letter " + id + "."));
    }
}
