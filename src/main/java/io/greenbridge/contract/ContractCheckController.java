package io.greenbridge.contract;

import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/contract-check}: the read endpoints against the configured tenants (admin token, AdminAuthFilter). */
@RestController
public class ContractCheckController {
    private final ContractCheck check;

    public ContractCheckController(ContractCheck check) {
        this.check = check;
    }

    @PostMapping("/api/contract-check")
    public Map<String, Object> run() {
        return ContractCheck.report(check.run());
    }
}
